// telemetry configuration: structural errors refuse it naming the JSON path, config.schema.json
// agrees with the filter, its examples and the Envoy configuration run, and the README documents
// every schema field.

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { wasmFilterConfiguration } from "../e2e/support/config.js";
import { undocumentedFields } from "./schema-fields.js";
import { builds, load } from "./telemetry/support.js";

const refused: [string, object, string][] = [
  ["an unknown field", { metric: [] }, "metric: unknown field"],
  ["a bad reporter", { reporter: "client" }, 'reporter: must be "destination", "source" or "waypoint"'],
  ["a bad cap", { max_label_sets: 0 }, "max_label_sets: must be a whole number from 1 to 100000"],
  ["a bad metric name", { definitions: [{ name: "a-b" }] }, "definitions[0].name: must match [a-zA-Z_][a-zA-Z0-9_]*"],
  [
    "a duplicate metric",
    { definitions: [{ name: "istio_requests_total" }] },
    'definitions[0].name: duplicate metric "istio_requests_total"',
  ],
  [
    "a gauge without value",
    { definitions: [{ name: "g", type: "GAUGE" }] },
    "definitions[0]: a GAUGE or HISTOGRAM needs a value",
  ],
  [
    "an unknown type",
    { definitions: [{ name: "g", type: "SUMMARY" }] },
    "definitions[0].type: must be COUNTER, GAUGE or HISTOGRAM",
  ],
  [
    "bad CEL in a dimension",
    { definitions: [{ name: "c", dimensions: { x: "1 +" } }] },
    "definitions[0].dimensions.x: invalid CEL expression: 1:4:",
  ],
  [
    "a bad dimension name",
    { definitions: [{ name: "c", dimensions: { "a-b": "1" } }] },
    "definitions[0].dimensions.a-b: is not a valid label name",
  ],
  [
    "an unknown metric enum",
    { metrics: [{ match: { metric: "REQUEST_BYTES" } }] },
    "metrics[0].match.metric: must be ALL_METRICS",
  ],
  [
    "an undefined customMetric",
    { metrics: [{ match: { customMetric: "nope" } }] },
    'metrics[0].match: customMetric "nope" is not defined',
  ],
  [
    "both metric and customMetric",
    { metrics: [{ match: { metric: "REQUEST_COUNT", customMetric: "x" } }] },
    "metrics[0].match: has both metric and customMetric",
  ],
  [
    "a bad mode",
    { metrics: [{ match: { mode: "BOTH" } }] },
    "metrics[0].match.mode: must be CLIENT_AND_SERVER, CLIENT or SERVER",
  ],
  [
    "a bad operation",
    { metrics: [{ tagOverrides: { a: { operation: "DELETE" } } }] },
    "metrics[0].tagOverrides.a.operation: must be UPSERT or REMOVE",
  ],
  ["UPSERT without value", { metrics: [{ tagOverrides: { a: {} } }] }, "metrics[0].tagOverrides.a.value: is required"],
  ["an unknown access log field", { access_log: { format: "json" } }, "access_log.format: unknown field"],
  ["an unknown builtin", { access_log: { fields: { a: "$status" } } }, "access_log.fields.a: unknown value $status"],
  [
    "a sampling over 100",
    { access_log: { sampling_percentage: 101 } },
    "access_log.sampling_percentage: must be from 0 to 100",
  ],
  ["a collector without cluster", { access_log: { collector: {} } }, "access_log.collector.cluster: is required"],
  [
    "a collector batch of 0",
    { access_log: { collector: { cluster: "c", batch_size: 0 } } },
    "access_log.collector.batch_size: must be a whole number from 1 to 10000",
  ],
  [
    "a collector timeout that is not a Duration",
    { access_log: { collector: { cluster: "c", timeout: "5" } } },
    'access_log.collector.timeout: must be a duration string such as "3600s"',
  ],
  ["an unknown tracing field", { tracing: { propagate: "b3" } }, "tracing.propagate: unknown field"],
];

describe.each(builds)("telemetry configuration (%s)", (wasm) => {
  it.each(refused)("refuses %s, naming the field", async (_, config, message) => {
    const plugin = await load(wasm, config);
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages()[0]).toContain(`telemetry: invalid configuration: ${message}`);
  });
});

describe("telemetry config.schema.json", () => {
  const schema = JSON.parse(readFileSync("filters/telemetry/config.schema.json", "utf8")) as { examples: object[] };
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  const bootstrap = parse(readFileSync("envoy-configs/telemetry.yaml", "utf8")) as Record<string, unknown>;
  const envoyConfig = wasmFilterConfiguration(bootstrap, "telemetry");
  // Cross-field rules (duplicates, CEL, names defined elsewhere) are the filter's business.
  const semantic = new Set([
    "a duplicate metric",
    "bad CEL in a dimension",
    "an undefined customMetric",
    "an unknown builtin",
  ]);

  it.each(refused.filter(([name]) => !semantic.has(name)))("rejects %s, as the filter does", (_, config) => {
    expect(validate(config)).toBe(false);
  });

  it("accepts its own examples and the configuration in envoy-configs/telemetry.yaml", () => {
    for (const example of schema.examples) expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(envoyConfig)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each(builds)("runs its examples and the Envoy configuration (%s)", async (wasm) => {
    for (const example of [...schema.examples, JSON.parse(envoyConfig) as object]) {
      const plugin = await load(wasm, example, { clusters: ["log-collector"] });
      expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    }
  });
});

describe("telemetry README", () => {
  it("documents every configuration field in config.schema.json", () => {
    const { missing, total } = undocumentedFields("telemetry");
    expect(total).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});
