// Metrics as Envoy keeps them (reference abi.md 2, 3.7, 5.6), through the metrics fixture: ids,
// counter and gauge quirks, histograms, tag extraction and the Prometheus text.

import { describe, expect, it } from "vitest";
import {
  HostEnvironment,
  labelTag,
  MetricsRegistry,
  MetricType,
  Plugin,
  RECENT_SAMPLES,
  Status,
} from "../../harness/index.js";
import { fixtureBuilds, get, messages } from "./support.js";

const builds = fixtureBuilds("metrics");

async function load(wasm: string, environment = new HostEnvironment()) {
  return Plugin.load(wasm, { environment });
}

function run(plugin: Plugin, action: string, method = "GET"): void {
  plugin.newHttpStream().sendRequestHeaders(
    get([["x-metric", action]]).map(([k, v]) => [k, k === ":method" ? method : v]),
    true,
  );
}

describe.each(builds)("metrics (%s)", (wasm) => {
  it("hands out ids type + 4k per instance, a new id for each definition of a name (abi.md 2, 3.7)", async () => {
    const plugin = await load(wasm);
    const ids = plugin.logs.filter((e) => e.message.startsWith("ids"));
    expect(ids.map((e) => [e.instance, e.message])).toEqual([
      ["canary", "ids counter=4,8 gauge=5 histogram=6"],
      ["main", "ids counter=4,8 gauge=5 histogram=6"],
      ["worker", "ids counter=4,8 gauge=5 histogram=6"],
    ]);
  });

  it("rejects a counter increment of 0 with BadArgument (abi.md 3.7)", async () => {
    const plugin = await load(wasm);
    run(plugin, "counter-zero");
    expect(messages(plugin, "increment_zero")).toEqual([`increment_zero status=${Status.BadArgument}`]);
  });

  it("counter record adds, and every id of a name is the same stat (abi.md 3.7)", async () => {
    const plugin = await load(wasm);
    run(plugin, "counter-record");
    expect(messages(plugin, "counter value")).toEqual(["counter value=8"]);
    expect(plugin.environment.metrics.counter("plain.count")).toBe(8n);
  });

  it("gauge record sets and a negative increment subtracts (abi.md 3.7)", async () => {
    const plugin = await load(wasm);
    run(plugin, "gauge");
    expect(messages(plugin, "gauge value")).toEqual(["gauge value=8"]);
  });

  it("records histogram samples and refuses increments on histograms (abi.md 3.7)", async () => {
    const plugin = await load(wasm);
    run(plugin, "histogram");
    expect(plugin.environment.metrics.histogram("latency_ms")).toEqual([3n, 700n]);
    expect(messages(plugin, "histogram increment")).toEqual([`histogram increment status=${Status.BadArgument}`]);
  });

  it("checks an id's type bits before looking it up: BadArgument for type 3, NotFound for an unknown counter (Envoy 1.40; abi.md 3.7 says NotFound for both)", async () => {
    const plugin = await load(wasm);
    run(plugin, "unknown-id");
    expect(messages(plugin, "unknown status")).toEqual([
      `unknown status=${Status.BadArgument} unknown-counter status=${Status.NotFound}`,
    ]);
  });

  it("adds up one stat across workers of the environment", async () => {
    const environment = new HostEnvironment();
    const plugin = await Plugin.load(wasm, { environment, workers: 2 });
    plugin.newHttpStream(0).sendRequestHeaders(get([["x-metric", "count"]]), true);
    plugin.newHttpStream(1).sendRequestHeaders(get([["x-metric", "count"]]), true);
    expect(environment.metrics.counter("method=.=GET;.;code=.=200;.;requests_total")).toBe(2n);
  });

  it("prints Prometheus text as Envoy's /stats/prometheus: wasmcustom stripped, tags from stats_tags (abi.md 5.6)", async () => {
    const environment = new HostEnvironment({ statsTags: [labelTag("method"), labelTag("code")] });
    const plugin = await load(wasm, environment);
    run(plugin, "count", "GET");
    run(plugin, "count", "GET");
    run(plugin, "count", "POST");
    run(plugin, "count-odd-label");
    run(plugin, "counter-record");
    run(plugin, "gauge");
    run(plugin, "histogram");
    const text = environment.metrics.prometheus();
    expect(text).toContain(
      [
        "# TYPE plain_count counter",
        "plain_count{} 8",
        "# TYPE requests_total counter",
        'requests_total{method="GET",code="200"} 2',
        'requests_total{method="POST",code="200"} 1',
        'requests_total{method="a_b_c",code="x.y"} 2',
        "# TYPE active gauge",
        "active{} 8",
        "# TYPE latency_ms histogram",
        'latency_ms_bucket{le="0.5"} 0',
        'latency_ms_bucket{le="1"} 0',
        'latency_ms_bucket{le="5"} 1',
      ].join("\n"),
    );
    expect(text).toContain('latency_ms_bucket{le="1000"} 2\n');
    expect(text).toContain('latency_ms_bucket{le="+Inf"} 2\nlatency_ms_sum{} 703\nlatency_ms_count{} 2\n');
  });
});

describe("histogram buckets", () => {
  it("uses the first matching histogram_bucket_settings entry, else Envoy's defaults", () => {
    const registry = new MetricsRegistry(
      [],
      [
        { match: { suffix: "latency_ms" }, buckets: [1, 10] },
        { match: { prefix: "wasmcustom.lat" }, buckets: [100] },
        { match: { safe_regex: { regex: "wasmcustom\\.size.*" } }, buckets: [5] },
      ],
    );
    registry.define(MetricType.Histogram, "latency_ms").record(3n);
    registry.define(MetricType.Histogram, "latency_ms").record(30n);
    registry.define(MetricType.Histogram, "later").record(3n);
    registry.define(MetricType.Histogram, "size_bytes").record(3n);
    registry.define(MetricType.Histogram, "other").record(3n);
    const text = registry.prometheus();
    expect(text).toContain(
      'latency_ms_bucket{le="1"} 0\nlatency_ms_bucket{le="10"} 1\nlatency_ms_bucket{le="+Inf"} 2\n',
    );
    expect(text).toContain('later_bucket{le="100"} 1\nlater_bucket{le="+Inf"} 1\n');
    expect(text).toContain('size_bytes_bucket{le="5"} 1\nsize_bytes_bucket{le="+Inf"} 1\n');
    expect(text).toContain('other_bucket{le="0.5"} 0\n');
    expect(text).toContain('other_bucket{le="3600000"} 1\n');
  });

  it("counts every sample but keeps only the most recent ones, so a long run holds one entry per distinct value", () => {
    const registry = new MetricsRegistry([], [{ match: { exact: "wasmcustom.duration_ms" }, buckets: [1, 10] }]);
    const stat = registry.define(MetricType.Histogram, "duration_ms");
    const recorded = Array.from({ length: 2 * RECENT_SAMPLES + 700 }, (_, i) => BigInt([0, 5, 50][i % 3]!));
    for (const sample of recorded) stat.record(sample);
    expect(registry.histogram("duration_ms")).toEqual(recorded.slice(-RECENT_SAMPLES));
    expect(stat.counts.size).toBe(3);
    const thirds = recorded.length / 3;
    expect(registry.prometheus()).toContain(
      `duration_ms_bucket{le="1"} ${thirds}\nduration_ms_bucket{le="10"} ${2 * thirds}\n` +
        `duration_ms_bucket{le="+Inf"} ${recorded.length}\nduration_ms_sum{} ${55 * thirds}\n` +
        `duration_ms_count{} ${recorded.length}\n`,
    );
  });
});

describe("tag extraction", () => {
  it("keeps the labels in the name when no stats_tags match, as Envoy extracts none by default (abi.md 5.6)", () => {
    const registry = new MetricsRegistry();
    registry.define(MetricType.Counter, "method=.=GET;.;hits").value = 1n;
    expect(registry.prometheus()).toBe("# TYPE method___GET___hits counter\nmethod___GET___hits{} 1\n");
  });

  it("uses the first capture group as the value when the regex has only one", () => {
    const registry = new MetricsRegistry([{ tagName: "shard", regex: "\\.shard_(\\d+)" }]);
    expect(registry.extractTags("wasmcustom.cache.shard_3.hits")).toEqual({
      name: "wasmcustom.cache.shard_3.hits".replace("3", ""),
      tags: [["shard", "3"]],
    });
  });

  it("leaves out names that start with a digit once stripped, as Envoy does", () => {
    const registry = new MetricsRegistry();
    registry.define(MetricType.Gauge, "9lives").value = 1n;
    expect(registry.prometheus()).toBe("");
  });
});
