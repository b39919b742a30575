// abac-authz configuration: structural errors refuse the configuration naming the JSON path,
// config.schema.json agrees with the filter, and the README documents every schema field.

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { undocumentedFields } from "./schema-fields.js";
import { parse } from "yaml";
import { LogLevel } from "../../harness/index.js";
import { wasmFilterConfiguration } from "../e2e/support/config.js";
import { builds, load, policy } from "./abac-authz/support.js";

const rule = (r: object) => ({ policies: [policy("p", { rules: [r] })] });
const authz = (name: string, extra: object = {}) => ({ name, envoyExtAuthzHttp: { cluster: "authz", ...extra } });
const custom = (name: string, provider: string) =>
  policy(name, { action: "CUSTOM", provider: { name: provider }, rules: [{}] });

// A bare array is sent as text: the test loader reads an array object as a list of policies.
const rejected: [string, object | string, string][] = [
  ["root not an object", "[]", "(root): must be an object, got array"],
  ["unknown top-level field", { rules: [] }, "rules: unknown field"],
  ["policies not an array", { policies: {} }, "policies: must be an array, got object"],
  ["negative trusted hops", { xff_num_trusted_hops: -1 }, "xff_num_trusted_hops: must be an integer from 0 to 64"],
  ["fractional trusted hops", { xff_num_trusted_hops: 1.5 }, "xff_num_trusted_hops: must be an integer from 0 to 64"],
  ["bad default_action", { default_action: "AUDIT" }, 'default_action: must be "ALLOW" or "DENY"'],
  ["dry_run not a boolean", { dry_run: "yes" }, "dry_run: must be a boolean, got string"],
  ["policy without name", { policies: [{ spec: {} }] }, "policies[0].name: is required"],
  ["empty policy name", { policies: [{ name: "", spec: {} }] }, "policies[0].name: must not be empty"],
  ["policy without spec", { policies: [{ name: "p" }] }, "policies[0].spec: is required"],
  [
    "unknown policy field",
    { policies: [{ name: "p", spec: {}, metadata: {} }] },
    "policies[0].metadata: unknown field",
  ],
  ["duplicate policy", { policies: [policy("p", {}), policy("p", {})] }, 'policies[1].name: duplicate policy "p"'],
  [
    "unknown action",
    { policies: [policy("p", { action: "LOG" })] },
    'policies[0].spec.action: must be "ALLOW", "DENY", "AUDIT" or "CUSTOM"',
  ],
  [
    "CUSTOM without provider",
    { policies: [policy("p", { action: "CUSTOM" })] },
    'policies[0].spec: action CUSTOM needs "provider": {"name": ...}',
  ],
  [
    "CUSTOM naming an unknown provider",
    { extension_providers: [authz("a")], policies: [custom("p", "b")] },
    'policies[0].spec.provider.name: names no provider of "extension_providers": "b"',
  ],
  [
    "CUSTOM policies naming two providers",
    { extension_providers: [authz("a"), authz("b")], policies: [custom("p", "a"), custom("q", "b")] },
    'policies[1].spec.provider.name: CUSTOM policies must all use one provider (Istio allows one per workload), found "a" and "b"',
  ],
  [
    "provider without CUSTOM",
    { policies: [policy("p", { provider: { name: "x" } })] },
    "policies[0].spec.provider: is only valid with action CUSTOM",
  ],
  [
    "a gRPC provider",
    { extension_providers: [{ name: "g", envoyExtAuthzGrpc: { service: "s", port: 9000 } }] },
    "extension_providers[0].envoyExtAuthzGrpc: is not supported: a Wasm filter speaks HTTP; use envoyExtAuthzHttp",
  ],
  [
    "a provider of another kind",
    { extension_providers: [{ name: "z", zipkin: {} }] },
    "extension_providers[0].zipkin: unknown field",
  ],
  [
    "duplicate provider",
    { extension_providers: [authz("a"), authz("a")] },
    'extension_providers[1].name: duplicate provider "a"',
  ],
  [
    "a provider without cluster or service and port",
    { extension_providers: [{ name: "a", envoyExtAuthzHttp: { service: "authz.example" } }] },
    'extension_providers[0].envoyExtAuthzHttp: needs "cluster" (an Envoy cluster name) or "service" and "port" (Istio\'s cluster naming)',
  ],
  [
    "a provider port out of range",
    { extension_providers: [{ name: "a", envoyExtAuthzHttp: { service: "s", port: 70000 } }] },
    "extension_providers[0].envoyExtAuthzHttp.port: must be a port from 1 to 65535",
  ],
  [
    "a timeout that is not a Duration",
    { extension_providers: [authz("a", { timeout: "5" })] },
    'extension_providers[0].envoyExtAuthzHttp.timeout: must be a duration string such as "3600s"',
  ],
  [
    "a zero timeout",
    { extension_providers: [authz("a", { timeout: "0s" })] },
    "extension_providers[0].envoyExtAuthzHttp.timeout: must be from 0.001s to 2147483.647s",
  ],
  [
    "a statusOnError that is not a status",
    { extension_providers: [authz("a", { statusOnError: "40x" })] },
    "extension_providers[0].envoyExtAuthzHttp.statusOnError: must be an HTTP status from 200 to 599",
  ],
  [
    "a pathPrefix without a slash",
    { extension_providers: [authz("a", { pathPrefix: "check" })] },
    'extension_providers[0].envoyExtAuthzHttp.pathPrefix: must start with "/"',
  ],
  [
    "a request body in the check",
    { extension_providers: [authz("a", { includeRequestBodyInCheck: { maxRequestBytes: 10 } })] },
    "extension_providers[0].envoyExtAuthzHttp.includeRequestBodyInCheck: is not supported: checks carry headers only",
  ],
  [
    "an empty header name",
    { extension_providers: [authz("a", { headersToUpstreamOnAllow: [""] })] },
    "extension_providers[0].envoyExtAuthzHttp.headersToUpstreamOnAllow[0]: must not be empty",
  ],
  [
    "a pseudo-header among the additional headers",
    { extension_providers: [authz("a", { includeAdditionalHeadersInCheck: { ":path": "/x" } })] },
    "extension_providers[0].envoyExtAuthzHttp.includeAdditionalHeadersInCheck.:path: is not a header name that can be set",
  ],
  ["unknown spec field", { policies: [policy("p", { rule: [] })] }, "policies[0].spec.rule: unknown field"],
  ["unknown rule field", rule({ form: [] }), "policies[0].spec.rules[0].form: unknown field"],
  ["from entry without source", rule({ from: [{}] }), "policies[0].spec.rules[0].from[0].source: is required"],
  [
    "unknown source field",
    rule({ from: [{ source: { trustDomains: ["x"] } }] }),
    "policies[0].spec.rules[0].from[0].source.trustDomains: unknown field",
  ],
  [
    "unknown operation field",
    rule({ to: [{ operation: { path: ["/"] } }] }),
    "policies[0].spec.rules[0].to[0].operation.path: unknown field",
  ],
  [
    "values not strings",
    rule({ to: [{ operation: { methods: [1] } }] }),
    "policies[0].spec.rules[0].to[0].operation.methods[0]: must be a string, got number",
  ],
  ["when without key", rule({ when: [{ values: ["x"] }] }), "policies[0].spec.rules[0].when[0].key: is required"],
  [
    "condition not a string",
    rule({ condition: true }),
    "policies[0].spec.rules[0].condition: must be a string, got boolean",
  ],
];

describe.each(builds)("abac-authz configuration (%s)", (wasm) => {
  it.each(rejected)("rejects %s, naming the field", async (_, configuration, message) => {
    const plugin = await load(wasm, configuration);
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logs[0]!.level).toBe(LogLevel.Error);
    expect(plugin.logs[0]!.message).toBe(`abac-authz: invalid configuration: ${message}`);
  });

  it("rejects configuration that is not JSON", async () => {
    const plugin = await load(wasm, "{");
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logs[0]!.message).toMatch(/^abac-authz: invalid configuration: not JSON at byte 1: /);
  });

  it("accepts Istio's selector and targetRefs as written", async () => {
    const spec = {
      selector: { matchLabels: { app: "web" } },
      targetRefs: [{ kind: "Gateway", name: "gw" }],
      rules: [{}],
    };
    expect((await load(wasm, [policy("p", spec)])).status).toBe("running");
  });
});

describe("abac-authz config.schema.json", () => {
  const schema = JSON.parse(readFileSync("filters/abac-authz/config.schema.json", "utf8")) as { examples: object[] };
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  const bootstrap = parse(readFileSync("envoy-configs/abac-authz.yaml", "utf8")) as Record<string, unknown>;
  const envoyConfig = wasmFilterConfiguration(bootstrap, "abac-authz");
  // Duplicate names and cross-field rules are the filter's business: the schema checks shapes only.
  const semantic = new Set([
    "duplicate policy",
    "fractional trusted hops",
    "CUSTOM naming an unknown provider",
    "CUSTOM policies naming two providers",
    "duplicate provider",
    "a zero timeout",
    "a pseudo-header among the additional headers",
  ]);

  it.each(rejected.filter(([name]) => !semantic.has(name)))("rejects %s, as the filter does", (_, configuration) => {
    expect(validate(typeof configuration === "string" ? JSON.parse(configuration) : configuration)).toBe(false);
  });

  it("accepts its own examples and the configuration in envoy-configs/abac-authz.yaml", () => {
    for (const example of schema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(envoyConfig)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(builds)("runs its examples and the Envoy configuration (%s)", async (wasm) => {
    for (const example of schema.examples) expect((await load(wasm, example)).status).toBe("running");
    expect((await load(wasm, envoyConfig)).status).toBe("running");
  });
});

describe("abac-authz README", () => {
  it("documents every configuration field in config.schema.json", () => {
    const { missing, total } = undocumentedFields("abac-authz");
    expect(total).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
