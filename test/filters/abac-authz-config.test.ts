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
    'policies[0].spec.action: must be "ALLOW", "DENY" or "AUDIT"',
  ],
  [
    "CUSTOM action",
    { policies: [policy("p", { action: "CUSTOM" })] },
    "policies[0].spec.action: CUSTOM (ext_authz) is not supported",
  ],
  [
    "provider without CUSTOM",
    { policies: [policy("p", { provider: { name: "x" } })] },
    "policies[0].spec.provider: is only valid with action CUSTOM",
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
  const semantic = new Set(["duplicate policy", "fractional trusted hops"]);

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
