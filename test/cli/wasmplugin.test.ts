// `envoy-as wasmplugin`: the printed resources validate, put each filter where Istio runs it in the
// right order, pin the manifest digest (given, in the reference, or from `envoy-as package`'s layout),
// and refuse a plugin configuration or an option the filter or the API server would refuse.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { validateResource } from "../../cli/k8s/validate-resource.js";
import { packageFilter } from "../../cli/package.js";
import { validateConfig } from "../../cli/validate.js";
import { wasmpluginCommand } from "../../cli/wasmplugin.js";

type Resource = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const work = mkdtempSync(join(tmpdir(), "envoy-as-wasmplugin-"));
const HEX = "0123456789abcdef".repeat(4);
const FILTERS = ["jwt-authn", "abac-authz", "telemetry", "header-rewrite"];

async function run(args: string[], cwd = work) {
  const lines = { out: [] as string[], err: [] as string[] };
  const io = { out: (text: string) => lines.out.push(text), err: (text: string) => lines.err.push(text) };
  const code = await wasmpluginCommand(args, io, cwd);
  const resources = lines.out.flatMap((text) => parseAllDocuments(text).map((doc) => doc.toJS() as Resource));
  return { code, resources, err: lines.err };
}

/** The pluginConfig of a shipped example, written to a file as JSON or YAML. */
function exampleConfig(filter: string, format: "json" | "yaml"): string {
  const example = parse(readFileSync(`envoy-configs/istio/${filter}.wasmplugin.yaml`, "utf8")) as Resource;
  const file = join(work, `${filter}.${format}`);
  const config = example["spec"]["pluginConfig"];
  writeFileSync(file, format === "json" ? JSON.stringify(config) : stringify(config));
  return file;
}

describe("envoy-as wasmplugin", () => {
  it.each([
    ["jwt-authn", "AUTHN", 20, "FAIL_CLOSE"],
    ["abac-authz", "AUTHZ", 10, "FAIL_CLOSE"],
    ["telemetry", "STATS", undefined, "FAIL_OPEN"],
    ["header-rewrite", undefined, undefined, "FAIL_CLOSE"],
  ])("places %s in phase %s, priority %s, %s, with a valid pluginConfig", async (filter, phase, priority, fail) => {
    const { code, resources, err } = await run([
      filter,
      "--image",
      `registry.example/envoy-as/${filter}:0.1.0`,
      "--config",
      exampleConfig(filter, "json"),
      "--sha256",
      HEX,
    ]);
    expect([code, err]).toEqual([0, []]);
    expect(resources).toHaveLength(1);
    const plugin = resources[0]!;
    expect(validateResource(plugin)).toEqual([]);
    expect(plugin["metadata"]).toEqual({ name: filter, namespace: "default" });
    expect(plugin["spec"]).toMatchObject({
      url: `oci://registry.example/envoy-as/${filter}:0.1.0`,
      sha256: HEX,
      imagePullPolicy: "IfNotPresent",
      pluginName: filter,
      failStrategy: fail,
    });
    expect([plugin["spec"]["phase"], plugin["spec"]["priority"]]).toEqual([phase, priority]);
    const example = parse(readFileSync(`envoy-configs/istio/${filter}.wasmplugin.yaml`, "utf8")) as Resource;
    expect(plugin["spec"]["pluginConfig"]).toEqual(example["spec"]["pluginConfig"]);
  });

  it("orders the filters as Istio will: phase AUTHN, AUTHZ, STATS, none; higher priority first", async () => {
    const order = ["AUTHN", "AUTHZ", "STATS", undefined];
    const specs = await Promise.all(
      [...FILTERS]
        .reverse()
        .map(async (filter) => (await run([filter, "--image", `r.example/${filter}:1`])).resources[0]!),
    );
    const sorted = specs.sort(
      (a, b) =>
        order.indexOf(a["spec"]["phase"]) - order.indexOf(b["spec"]["phase"]) ||
        (b["spec"]["priority"] ?? 0) - (a["spec"]["priority"] ?? 0),
    );
    expect(sorted.map((plugin) => plugin["metadata"]["name"])).toEqual(FILTERS);
    // Even in one phase, jwt-authn's priority puts it ahead of abac-authz.
    expect(specs[0]!["spec"]["priority"]).toBeGreaterThan(specs[1]!["spec"]["priority"]);
  });

  it("reads a YAML --config, a namespace, selectors, a mode and ports", async () => {
    const { code, resources } = await run([
      "abac-authz",
      "--image",
      "oci://registry.example/abac-authz:2",
      "--config",
      exampleConfig("abac-authz", "yaml"),
      "--namespace",
      "shop",
      "--selector",
      "app=reviews",
      "--selector",
      "version=v2",
      "--mode",
      "SERVER",
      "--port",
      "9080",
    ]);
    expect(code).toBe(0);
    expect(validateResource(resources[0])).toEqual([]);
    expect(resources[0]!["metadata"]["namespace"]).toBe("shop");
    expect(resources[0]!["spec"]["selector"]).toEqual({ matchLabels: { app: "reviews", version: "v2" } });
    expect(resources[0]!["spec"]["match"]).toEqual([{ mode: "SERVER", ports: [{ number: 9080 }] }]);
    expect(resources[0]!["spec"]["url"]).toBe("oci://registry.example/abac-authz:2");
  });

  it("adds a valid TrafficExtension and EnvoyExtensionPolicy with the same module and placement", async () => {
    const { code, resources } = await run([
      "telemetry",
      "--image",
      "registry.example/telemetry:1",
      "--sha256",
      HEX,
      "--config",
      exampleConfig("telemetry", "json"),
      "--traffic-extension",
      "--envoy-gateway",
      "--gateway",
      "edge",
    ]);
    expect(code).toBe(0);
    expect(resources.map((resource) => resource["kind"])).toEqual([
      "WasmPlugin",
      "TrafficExtension",
      "EnvoyExtensionPolicy",
    ]);
    for (const resource of resources) expect(validateResource(resource)).toEqual([]);
    const [plugin, extension, policy] = resources as [Resource, Resource, Resource];
    expect(extension["spec"]["phase"]).toBe("STATS");
    expect(extension["spec"]["wasm"]).toEqual({
      url: plugin["spec"]["url"],
      sha256: HEX,
      imagePullPolicy: "IfNotPresent",
      pluginName: "telemetry",
      failStrategy: "FAIL_OPEN",
      pluginConfig: plugin["spec"]["pluginConfig"],
    });
    expect(policy["spec"]["targetRefs"]).toEqual([
      { group: "gateway.networking.k8s.io", kind: "Gateway", name: "edge" },
    ]);
    expect(policy["spec"]["wasm"]).toEqual([
      {
        name: "telemetry",
        rootID: "telemetry",
        code: {
          type: "Image",
          image: { url: "registry.example/telemetry:1", sha256: HEX },
          pullPolicy: "IfNotPresent",
        },
        config: plugin["spec"]["pluginConfig"],
        failOpen: true,
      },
    ]);
  });

  it.each([
    ["registry.example/jwt-authn:latest", "Always"],
    ["registry.example/jwt-authn", "Always"],
    ["registry.example:5000/jwt-authn:1.0", "IfNotPresent"],
  ])("pulls %s with %s when no digest is pinned, and warns", async (image, policy) => {
    const { code, resources, err } = await run(["jwt-authn", "--image", image]);
    expect(code).toBe(0);
    expect(resources[0]!["spec"]["imagePullPolicy"]).toBe(policy);
    expect(resources[0]!["spec"]["sha256"]).toBeUndefined();
    expect(err).toEqual([
      `envoy-as wasmplugin: no sha256 pinned (no --sha256, no @sha256 in --image, no ${join(work, "build/oci/jwt-authn")})`,
    ]);
  });

  it("pins the digest written in the image reference", async () => {
    const { code, resources } = await run(["jwt-authn", "--image", `registry.example/jwt-authn@sha256:${HEX}`]);
    expect(code).toBe(0);
    expect(resources[0]!["spec"]).toMatchObject({ sha256: HEX, imagePullPolicy: "IfNotPresent" });
  });

  it("pins the manifest digest of the layout envoy-as package wrote, not the module's hash", async () => {
    const project = mkdtempSync(join(tmpdir(), "envoy-as-wasmplugin-layout-"));
    const packaged = await packageFilter({
      root: process.cwd(),
      filter: "telemetry",
      out: join(project, "build", "oci", "telemetry"),
      version: "1.2.3",
    });
    const { code, resources, err } = await run(["telemetry", "--image", "registry.example/telemetry:1.2.3"], project);
    expect([code, err]).toEqual([0, []]);
    expect(`sha256:${resources[0]!["spec"]["sha256"]}`).toBe(packaged.manifestDigest);
    expect(resources[0]!["spec"]["sha256"]).not.toBe(packaged.wasmSha256);

    const other = await run(["telemetry", "--image", "registry.example/telemetry:9.9.9"], project);
    expect(other.code).toBe(1);
    expect(other.err[0]).toMatch(/expected an image tagged "9\.9\.9", index\.json has 1\.2\.3/);
  });

  it("refuses a --config the filter's schema refuses, naming each path", async () => {
    const file = join(work, "bad-telemetry.yaml");
    writeFileSync(file, "reporter: both\nmetrics: [{ match: { metric: NOPE } }]\nextra: 1\n");
    const { code, resources, err } = await run(["telemetry", "--image", "registry.example/t:1", "--config", file]);
    expect([code, resources]).toEqual([1, []]);
    expect(err).toEqual([
      [
        `envoy-as wasmplugin: --config ${file}: extra: unknown field`,
        `envoy-as wasmplugin: --config ${file}: reporter: must be one of "destination", "source", "waypoint"`,
        `envoy-as wasmplugin: --config ${file}: metrics[0].match.metric: must be one of "ALL_METRICS", ` +
          `"REQUEST_COUNT", "REQUEST_DURATION", "REQUEST_SIZE", "RESPONSE_SIZE"`,
      ].join("\n"),
    ]);
  });

  it.each([
    ["a config that is not an object", "[1, 2]", "the plugin configuration must be an object"],
    ["a config that is not JSON", "{", "Expected property name or '}' in JSON at position 1"],
  ])("refuses %s", async (_name, text, reason) => {
    const file = join(work, "config.json");
    writeFileSync(file, text);
    const { code, err } = await run(["jwt-authn", "--image", "registry.example/j:1", "--config", file]);
    expect(code).toBe(1);
    expect(err[0]).toContain(`--config ${file}: ${reason}`);
  });

  it.each([
    [
      ["--selector", "app=rev*"],
      "WasmPlugin: spec.selector.matchLabels.app: wildcard not allowed in label value match (CEL rule label-value-no-wildcard)",
    ],
    [
      ["--mode", "INBOUND"],
      'WasmPlugin: spec.match[0].mode: must be one of "UNDEFINED", "CLIENT", "SERVER", "CLIENT_AND_SERVER"',
    ],
    [
      ["--namespace", "Shop"],
      "WasmPlugin: metadata.namespace: must be a DNS-1123 label (lower-case letters, digits and '-', at most 63)",
    ],
    [
      ["--sha256", HEX, "--image", `registry.example/j@sha256:${"f".repeat(64)}`],
      `--sha256 ${HEX} disagrees with the digest in --image (${"f".repeat(64)})`,
    ],
  ])("exits 1 on input the API server would refuse: %j", async (extra, problem) => {
    const args = extra.includes("--image")
      ? ["jwt-authn", ...extra]
      : ["jwt-authn", "--image", "registry.example/j:1", ...extra];
    const { code, err } = await run(args);
    expect([code, err]).toEqual([1, [`envoy-as wasmplugin: ${problem}`]]);
  });

  it.each([
    [[], "needs one FILTER"],
    [["jwt-authn"], "needs --image REF"],
    [["jwt-authn", "--image"], "--image needs a value"],
    [["jwt-authn", "--image", "r.example/j:1", "--phase", "AUTHN"], "unknown option --phase"],
    [["jwt-authn", "--image", "r.example/j:1", "--selector", "app"], "--selector app: expected KEY=VALUE"],
    [["jwt-authn", "--image", "r.example/j:1", "--port", "0"], "--port 0: expected a port number 1-65535"],
    [
      ["jwt-authn", "--image", "r.example/j:1", "--sha256", "abc"],
      "--sha256 abc: expected 64 lowercase hex digits (the manifest digest)",
    ],
    [["jwt-authn", "--image", "r.example/j:1", "--gateway", "eg"], "--gateway needs --envoy-gateway"],
    [["jwt-authn", "--image", "jwt-authn:1"], expect.stringContaining("start the reference with the registry host")],
  ])("exits 2 on bad usage %j", async (args, message) => {
    const { code, err } = await run(args as string[]);
    expect(code).toBe(2);
    expect(err[0]).toEqual(typeof message === "string" ? `envoy-as wasmplugin: ${message}` : message);
    expect(err[1]).toMatch(/^usage: envoy-as wasmplugin FILTER --image REF/);
  });

  it("prints YAML that envoy-as validate accepts", async () => {
    const lines: string[] = [];
    const code = await wasmpluginCommand(
      ["header-rewrite", "--image", "r.example/h:1", "--traffic-extension", "--envoy-gateway"],
      { out: (text) => lines.push(text), err: () => undefined },
      work,
    );
    const file = join(work, "printed.yaml");
    writeFileSync(file, lines.join("\n"));
    expect(code).toBe(0);
    expect(validateConfig(file, null).problems).toEqual([]);
  });
});
