// Kubernetes resource validation (cli/k8s): the Go URL parsing behind Istio's url rule agrees with Go,
// the shipped envoy-configs/istio/ examples pass (also through `envoy-as validate`), and each kind
// of mistake the API server or the plugin would refuse is reported by its path and rule name.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { celRule, urlSchemeAllowed } from "../../cli/k8s/cel-rules.js";
import { celRuleTexts, KNOWN_KINDS, loadSchema } from "../../cli/k8s/crd-schema.js";
import { requestUriScheme, urlScheme } from "../../cli/k8s/go-url.js";
import { RESOURCE_CHECK, validateResource, validateResourcesText } from "../../cli/k8s/validate-resource.js";
import { validateConfig } from "../../cli/validate.js";

type Resource = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EXAMPLES = "envoy-configs/istio";
const examples = readdirSync(EXAMPLES)
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => join(EXAMPLES, name));

function example(name: string): Resource {
  return parse(readFileSync(join(EXAMPLES, name), "utf8")) as Resource;
}

// [input, ParseRequestURI scheme or null when refused, Parse scheme or null when refused], recorded
// with Go 1.26.8 net/url (the parser Kubernetes' CEL isURL and url() call); the last 60 are random
// strings over the characters that matter to the parser.
const GO_URLS: [string, string | null, string | null][] = [
  ["oci://registry.example/envoy-as/jwt-authn:0.1.0", "oci", "oci"],
  ["registry.example/envoy-as/jwt-authn:0.1.0", null, ""],
  ["localhost:5000/jwt-authn:1", "localhost", "localhost"],
  ["127.0.0.1:5000/jwt-authn:1", null, null],
  ["ghcr.io/acme/f@sha256:0123", null, ""],
  ["https://example.com/f.wasm", "https", "https"],
  ["http://[::1]:8080/f.wasm", "http", "http"],
  ["file:///opt/f.wasm", "file", "file"],
  ["ftp://example.com/f.wasm", "ftp", "ftp"],
  ["oci://", "oci", "oci"],
  ["", null, ""],
  ["*", "", ""],
  ["/abs/path", "", ""],
  ["relative", null, ""],
  ["mailto:me@example.com", "mailto", "mailto"],
  ["http://host:port/x", null, null],
  ["http://a b/x", null, null],
  ["http://a%zz/x", null, null],
  ["http://a/%zz", null, null],
  ["http://a/%41", "http", "http"],
  ["http://us er@h/x", null, null],
  ["http://user:pa ss@h/x", null, null],
  ["http://h/x?q=%zz", "http", "http"],
  ["http://h/x#frag", "http", "http"],
  ["a#b:c", null, ""],
  [":nope", null, null],
  ["HTTP://H/X", "http", "http"],
  ["h\tx", null, null],
  ["http://h/é", "http", "http"],
  ["http://é/x", "http", "http"],
  ["http://h%41/x", null, null],
  ["http://h%C3%A9/x", "http", "http"],
  ["http://[fe80::1%25en0]/x", "http", "http"],
  ["http://[::1/x", null, null],
  ["oci://r/x:1@sha256:ab", "oci", "oci"],
  ["s3://bucket/key", "s3", "s3"],
  ["OCI://reg/x", "oci", "oci"],
  ["http://h:/x", "http", "http"],
  ["http://@h/x", "http", "http"],
  ["x:/y", "x", "x"],
  ["x:y", "x", "x"],
  ["1x://y", null, null],
  ["x+y-z.w://q", "x+y-z.w", "x+y-z.w"],
  ["]5~*~]", null, ""],
  ["b/", null, ""],
  [" ~~", null, ""],
  ["?02h", null, ""],
  ["[?haZ Z0@", null, ""],
  ["b?]Z?]a", null, ""],
  ["._~hh/", null, ""],
  ["%50h#a]a:", null, ""],
  ["?#-*-Z-_b?", null, ""],
  ["2", null, ""],
  ["?h/%ba:@. ", null, ""],
  ["@@_%a", null, null],
  ["[h:~.Z_]", null, null],
  ["/a#.#", "", ""],
  ["h-0 --00h~", null, ""],
  ["Z_2@0", null, ""],
  ["b2@~]", null, ""],
  ["b", null, ""],
  ["[5a55-", null, ""],
  ["][]//b#", null, ""],
  ["_/~#~2?b.Z", null, ""],
  ["?Z5:a?:", null, ""],
  ["?Z?b/", null, ""],
  ["aha2", null, ""],
  ["~", null, ""],
  ["Z#", null, ""],
  [".%~*", null, null],
  ["%#-Z5%b", null, null],
  ["2", null, ""],
  ["-2hh2b", null, ""],
  ["%a[~", null, null],
  ["h~_ah.#", null, ""],
  [":a", null, null],
  ["~b", null, ""],
  ["~0", null, ""],
  ["a:", "a", "a"],
  ["*@@~%_h_%", null, null],
  ["a", null, ""],
  ["@", null, ""],
  [":*~%b?", null, null],
  ["*:_h[", null, null],
  ["0~0 ]*#-~", null, ""],
  ["bb.#@/_:?-", null, ""],
  ["?[[0_", null, ""],
  ["hb22*_%0", null, null],
  ["_ ?_[5h-b_", null, ""],
  ["a:_b5?_.~.", "a", "a"],
  [":_-", null, null],
  ["**5 05:", null, null],
  ["0h%?a#.5#@", null, null],
  ["%#b%", null, null],
  ["*Z2", null, ""],
  ["#?", null, ""],
  ["h:?", "h", "h"],
  ["?%2_@-5?~0", null, ""],
  ["-ah0:h20", null, null],
  ["@_-@@[05Za", null, ""],
  ["#/*@_*", null, ""],
  ["_5 ]2:b##", null, null],
  ["bZ[2", null, ""],
];

describe("Go URL parsing for CEL isURL / url().getScheme()", () => {
  it.each(GO_URLS)("%j parses as Go does", (text, request, parsed) => {
    expect([requestUriScheme(text), urlScheme(text)]).toEqual([request, parsed]);
  });
});

describe("Istio's url rule (scheme in '', http, https, oci, file)", () => {
  it.each([
    ["oci://registry.example/envoy-as/jwt-authn:0.1.0", true],
    ["registry.example/envoy-as/jwt-authn:0.1.0", true],
    ["127.0.0.1:5000/envoy-as/jwt-authn:0.1.0", true],
    ["https://example.com/jwt-authn.wasm", true],
    ["file:///opt/filters/jwt-authn.wasm", true],
    // Go reads "localhost:" as a scheme, so a registry port needs oci:// in front.
    ["localhost:5000/envoy-as/jwt-authn:0.1.0", false],
    ["ftp://example.com/jwt-authn.wasm", false],
    ["s3://bucket/jwt-authn.wasm", false],
    // Not a URL, but the rule's retry "http://http://host:port/..." is one (host "http:").
    ["http://host:port/jwt-authn.wasm", true],
  ])("%s: %s", (url, allowed) => {
    expect(urlSchemeAllowed(url)).toBe(allowed);
  });

  const segment = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  const reference = fc
    .tuple(
      fc.array(segment, { minLength: 2, maxLength: 3 }),
      fc.array(segment, { minLength: 1, maxLength: 3 }),
      segment,
    )
    .map(([host, path, tag]) => `${host.join(".")}/${path.join("/")}:${tag}`);

  it("accepts every image reference bare, with oci://, http:// and https://", () => {
    fc.assert(
      fc.property(reference, fc.constantFrom("", "oci://", "http://", "https://"), (ref, scheme) =>
        urlSchemeAllowed(`${scheme}${ref}`),
      ),
    );
  });

  it("refuses every other scheme in front of an image reference", () => {
    const scheme = fc
      .stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/)
      .filter((name) => !["http", "https", "oci", "file"].includes(name));
    fc.assert(fc.property(reference, scheme, (ref, name) => !urlSchemeAllowed(`${name}://${ref}`)));
  });
});

describe("vendored schemas", () => {
  it.each(KNOWN_KINDS)("$kind loads, and each of its CEL rules has a hand-written check", (known) => {
    expect(() => loadSchema(known)).not.toThrow();
    const raw = parse(readFileSync(join("schemas", known.file), "utf8")) as Resource;
    const rules = celRuleTexts(raw);
    expect(rules.length).toBeGreaterThan(0);
    for (const [, rule] of rules) expect(celRule(rule), rule).not.toBeNull();
  });

  it("closes every object that lists its fields, except those preserving unknown fields", () => {
    const schema = loadSchema(KNOWN_KINDS[0]!) as Resource;
    const spec = schema["properties"]["spec"];
    expect(schema["additionalProperties"]).toBe(false);
    expect(spec["additionalProperties"]).toBe(false);
    expect(spec["properties"]["vmConfig"]["properties"]["env"]["items"]["additionalProperties"]).toBe(false);
    expect(spec["properties"]["pluginConfig"]["additionalProperties"]).toBeUndefined();
    expect(schema["properties"]["status"]["additionalProperties"]).toBeUndefined();
  });
});

describe("the envoy-configs/istio examples", () => {
  it("cover a WasmPlugin per filter, a TrafficExtension and an EnvoyExtensionPolicy", () => {
    const kinds = examples.map((file) => {
      const resource = parse(readFileSync(file, "utf8")) as Resource;
      return `${resource["kind"]}/${resource["metadata"]["name"]}`;
    });
    expect(kinds.sort()).toEqual([
      "EnvoyExtensionPolicy/header-rewrite",
      "TrafficExtension/telemetry",
      "WasmPlugin/abac-authz",
      "WasmPlugin/header-rewrite",
      "WasmPlugin/jwt-authn",
      "WasmPlugin/telemetry",
    ]);
  });

  it.each(examples)("%s is valid, plugin configuration included", (file) => {
    expect(validateResourcesText(readFileSync(file, "utf8"))).toEqual([]);
  });

  it.each(examples)("envoy-as validate %s checks it as a resource", (file) => {
    expect(validateConfig(file, null)).toEqual({ problems: [], how: RESOURCE_CHECK });
  });
});

interface Variant {
  name: string;
  base: string;
  change: (resource: Resource) => void;
  problems: string[];
}

const WASMPLUGIN = "jwt-authn.wasmplugin.yaml";
const TRAFFIC = "telemetry.trafficextension.yaml";
const GATEWAY = "header-rewrite.envoyextensionpolicy.yaml";
const HEX = "a".repeat(64);

const variants: Variant[] = [
  {
    name: "an unknown (misspelled) spec field",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["pluginCfg"] = {}),
    problems: ["spec.pluginCfg: unknown field"],
  },
  {
    name: "an unknown field deep inside match",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["match"][0]["port"] = 80),
    problems: ["spec.match[0].port: unknown field"],
  },
  {
    name: "a phase that is not in the enum",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["phase"] = "AUTHENTICATION"),
    problems: ['spec.phase: must be one of "UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"'],
  },
  {
    name: "a sha256 of the wrong length",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["sha256"] = HEX.slice(1)),
    problems: ["spec.sha256: must match the pattern (^$|^[a-f0-9]{64}$)"],
  },
  {
    name: "a priority given as a string",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["priority"] = "20"),
    problems: ["spec.priority: must be integer"],
  },
  {
    name: "a missing url",
    base: WASMPLUGIN,
    change: (r) => delete r["spec"]["url"],
    problems: ["spec.url: required field is missing"],
  },
  {
    name: "a url with an ftp scheme",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["url"] = "ftp://registry.example/jwt-authn.wasm"),
    problems: ["spec.url: url must have schema one of [http, https, file, oci] (CEL rule url-scheme)"],
  },
  {
    name: "a url without a scheme whose registry has a port",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["url"] = "localhost:5000/envoy-as/jwt-authn:0.1.0"),
    problems: ["spec.url: url must have schema one of [http, https, file, oci] (CEL rule url-scheme)"],
  },
  {
    name: "a selector together with targetRefs",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["targetRefs"] = [{ kind: "Gateway", group: "gateway.networking.k8s.io", name: "gw" }]),
    problems: ["spec: only one of targetRefs or selector can be set (CEL rule single-target)"],
  },
  {
    name: "a wildcard in a label key",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["selector"]["matchLabels"] = { "app*": "reviews" }),
    problems: ["spec.selector.matchLabels: wildcard not allowed in label key match (CEL rule label-key-no-wildcard)"],
  },
  {
    name: "an empty label key",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["selector"]["matchLabels"] = { "": "reviews" }),
    problems: ["spec.selector.matchLabels: key must not be empty (CEL rule label-key-not-empty)"],
  },
  {
    name: "a wildcard in a label value",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["selector"]["matchLabels"]["app"] = "rev*"),
    problems: [
      "spec.selector.matchLabels.app: wildcard not allowed in label value match (CEL rule label-value-no-wildcard)",
    ],
  },
  {
    name: "a targetRef to another namespace",
    base: WASMPLUGIN,
    change: (r) => {
      delete r["spec"]["selector"];
      r["spec"]["targetRef"] = { kind: "Gateway", name: "gw", namespace: "other" };
    },
    problems: [
      "spec.targetRef.namespace: cross namespace referencing is not currently supported (CEL rule same-namespace)",
    ],
  },
  {
    name: "a HOST env variable that also sets a value",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["vmConfig"] = { env: [{ name: "TZ", valueFrom: "HOST", value: "UTC" }] }),
    problems: [
      "spec.vmConfig.env[0]: value may only be set when valueFrom is INLINE (CEL rule host-env-without-value)",
    ],
  },
  {
    name: "two env variables with one name (a list-map key)",
    base: WASMPLUGIN,
    change: (r) =>
      (r["spec"]["vmConfig"] = {
        env: [
          { name: "TZ", value: "UTC" },
          { name: "TZ", value: "CET" },
        ],
      }),
    problems: ['spec.vmConfig.env[1]: duplicate entry (name ["TZ"])'],
  },
  {
    name: "a pluginConfig the filter's schema refuses",
    base: WASMPLUGIN,
    change: (r) => (r["spec"]["pluginConfig"]["jwt_rules"][0]["issuer"] = 7),
    problems: ["spec.pluginConfig.jwt_rules[0].issuer: must be string"],
  },
  {
    name: "a name that is not a DNS-1123 subdomain",
    base: WASMPLUGIN,
    change: (r) => (r["metadata"]["name"] = "JWT_authn"),
    problems: ["metadata.name: must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)"],
  },
  {
    name: "a TrafficExtension with both wasm and lua",
    base: TRAFFIC,
    change: (r) => (r["spec"]["lua"] = { inlineCode: "function envoy_on_request(h) end" }),
    problems: [
      "spec: must match exactly one schema in oneOf",
      "spec: exactly one of wasm or lua must be set (CEL rule wasm-or-lua)",
    ],
  },
  {
    name: "a TrafficExtension with a selector and targetRefs",
    base: TRAFFIC,
    change: (r) => (r["spec"]["selector"] = { matchLabels: { app: "reviews" } }),
    problems: ["spec: only one of targetRefs or selector can be set (CEL rule single-target)"],
  },
  {
    name: "a TrafficExtension with WasmPlugin's name for the unspecified phase",
    base: TRAFFIC,
    change: (r) => (r["spec"]["phase"] = "UNSPECIFIED_PHASE"),
    problems: ['spec.phase: must be one of "UNSPECIFIED", "AUTHN", "AUTHZ", "STATS"'],
  },
  {
    name: "a TrafficExtension whose telemetry config has a bad reporter",
    base: TRAFFIC,
    change: (r) => (r["spec"]["wasm"]["pluginConfig"]["reporter"] = "both"),
    problems: ['spec.wasm.pluginConfig.reporter: must be one of "destination", "source", "waypoint"'],
  },
  {
    name: "an EnvoyExtensionPolicy without a target",
    base: GATEWAY,
    change: (r) => delete r["spec"]["targetRefs"],
    problems: ["spec: exactly one of targetRef, targetRefs or targetSelectors must be set (CEL rule one-target-form)"],
  },
  {
    name: "an EnvoyExtensionPolicy targeting another API group",
    base: GATEWAY,
    change: (r) => (r["spec"]["targetRefs"][0]["group"] = "networking.istio.io"),
    problems: [
      "spec.targetRefs[0]: this policy can only target resources of group gateway.networking.k8s.io (CEL rule target-group)",
    ],
  },
  {
    name: "an EnvoyExtensionPolicy targeting a Service",
    base: GATEWAY,
    change: (r) => (r["spec"]["targetRefs"][0]["kind"] = "Service"),
    problems: [
      "spec.targetRefs[0]: this policy can only target a Gateway, HTTPRoute, GRPCRoute, UDPRoute, TCPRoute, TLSRoute or ListenerSet (CEL rule target-kind)",
    ],
  },
  {
    name: "an EnvoyExtensionPolicy of type HTTP with an image",
    base: GATEWAY,
    change: (r) => (r["spec"]["wasm"][0]["code"]["type"] = "HTTP"),
    problems: [
      "spec.wasm[0].code: http must be set exactly when type is HTTP (CEL rule http-iff-HTTP)",
      "spec.wasm[0].code: image must be set exactly when type is Image (CEL rule image-iff-Image)",
    ],
  },
  {
    name: "an EnvoyExtensionPolicy with a short image sha256",
    base: GATEWAY,
    change: (r) => (r["spec"]["wasm"][0]["code"]["image"]["sha256"] = "abc"),
    problems: ["spec.wasm[0].code.image.sha256: must match the pattern ^[a-f0-9]{64}$"],
  },
  {
    name: "an EnvoyExtensionPolicy whose header-rewrite config has an unknown field",
    base: GATEWAY,
    change: (r) => (r["spec"]["wasm"][0]["config"]["rules"][0]["mach"] = {}),
    problems: ["spec.wasm[0].config.rules[0].mach: unknown field"],
  },
];

describe("broken resources", () => {
  it.each(variants)("reports $name by its path and rule", (variant) => {
    const resource = example(variant.base);
    variant.change(resource);
    expect(validateResource(resource)).toEqual(variant.problems);
  });

  it("names each document of a multi-document file", () => {
    const good = readFileSync(join(EXAMPLES, WASMPLUGIN), "utf8");
    const text = `${good}---\n${good.replace("phase: AUTHN", "phase: LAST")}`;
    expect(validateResourcesText(text)).toEqual([
      'document 2: spec.phase: must be one of "UNSPECIFIED_PHASE", "AUTHN", "AUTHZ", "STATS"',
    ]);
  });

  it("says which kinds it can check when given another", () => {
    const problems = validateResource({
      apiVersion: "networking.istio.io/v1",
      kind: "Gateway",
      metadata: { name: "gw" },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^\(top level\): envoy-as cannot check networking\.istio\.io\/v1 Gateway \(it checks /);
  });
});
