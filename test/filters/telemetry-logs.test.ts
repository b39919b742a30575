// telemetry access logs and trace context: the default JSON fields, configured fields, filter and
// sampling, shipping to a collector (batches, retries, drops), and W3C / B3 trace context (kept,
// refused, started) with the trace id in the log.

import { describe, expect, it } from "vitest";
import { type Plugin } from "../../harness/index.js";
import { builds, exchange, load } from "./telemetry/support.js";

const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT = "00f067aa0ba902b7";
const TRACEPARENT = `00-${TRACE}-${PARENT}-01`;

function logLines(plugin: Plugin): Record<string, unknown>[] {
  return plugin
    .logMessages()
    .filter((m) => m.startsWith("{"))
    .map((m) => JSON.parse(m) as Record<string, unknown>);
}

const counter = (plugin: Plugin, name: string) => plugin.environment.metrics.counter(name);

describe.each(builds)("telemetry access log (%s)", (wasm) => {
  it("writes one JSON line per request with Istio's fields", async () => {
    const plugin = await load(wasm, { standard_metrics: false, access_log: {} });
    exchange(plugin, {
      method: "POST",
      path: "/cart?x=1",
      status: 503,
      headers: [
        ["user-agent", "curl/8"],
        ["x-request-id", "r-1"],
        ["traceparent", TRACEPARENT],
      ],
      attributes: { "request.duration": 7_000_000n, "response.flags": 2n, "request.size": 12, "response.size": 34 },
    });
    const [line] = logLines(plugin);
    expect(line).toMatchObject({
      method: "POST",
      path: "/cart?x=1",
      response_code: 503,
      response_flags: "UH",
      duration: 7,
      bytes_received: 12,
      bytes_sent: 34,
      authority: "reviews.shop.svc.cluster.local:9080",
      trace_id: TRACE,
    });
    expect(Object.keys(line!)).toContain("start_time");
    expect(typeof line!.start_time).toBe("string");
  });

  it("writes the configured fields only, null for what is absent, and the built-in values", async () => {
    const fields = {
      tenant: "request.headers['x-tenant']",
      missing: "request.headers['x-none']",
      big: "response.code >= 500",
      flags: "$response_flags",
      sampled: "$sampled",
      span: "$span_id",
    };
    const plugin = await load(wasm, { standard_metrics: false, access_log: { fields } });
    exchange(plugin, {
      headers: [
        ["x-tenant", "acme"],
        ["traceparent", TRACEPARENT],
      ],
    });
    expect(logLines(plugin)).toEqual([
      { tenant: "acme", missing: null, big: false, flags: "-", sampled: true, span: PARENT },
    ]);
  });

  it("escapes quotes, backslashes and control characters in field names and values, line after line", async () => {
    const fields = { 'say "hi"\\': "request.headers['x-note']", "tab\there": "response.code" };
    const plugin = await load(wasm, { standard_metrics: false, access_log: { fields } });
    const notes = ['a "quoted" \\ note\twith a tab', "x".repeat(20_000), "short"];
    for (const note of notes) exchange(plugin, { headers: [["x-note", note]] });
    const raw = plugin.logMessages().filter((m) => m.startsWith("{"));
    expect(raw[0]).toBe('{"say \\"hi\\"\\\\":"a \\"quoted\\" \\\\ note\\u0009with a tab","tab\\u0009here":200}');
    expect(logLines(plugin)).toEqual(notes.map((note) => ({ 'say "hi"\\': note, "tab\there": 200 })));
  });

  it("logs only what the filter selects", async () => {
    const config = {
      standard_metrics: false,
      access_log: { fields: { code: "response.code" }, filter: "response.code >= 400" },
    };
    const plugin = await load(wasm, config);
    for (const status of [200, 404, 302, 500]) exchange(plugin, { status });
    expect(logLines(plugin)).toEqual([{ code: 404 }, { code: 500 }]);
  });

  it("samples the given percentage of requests", async () => {
    const none = await load(wasm, { standard_metrics: false, access_log: { sampling_percentage: 0 } });
    for (let i = 0; i < 50; i++) exchange(none);
    expect(logLines(none)).toHaveLength(0);
    const half = await load(wasm, {
      standard_metrics: false,
      access_log: { fields: { c: "1" }, sampling_percentage: 50 },
    });
    for (let i = 0; i < 2000; i++) exchange(half);
    const logged = logLines(half).length;
    // Binomial(2000, 0.5): 6 standard deviations is about 134.
    expect(logged).toBeGreaterThan(1000 - 134);
    expect(logged).toBeLessThan(1000 + 134);
  });

  describe("to a collector", () => {
    const collector = (extra: object = {}) => ({
      standard_metrics: false,
      access_log: {
        envoy_log: false,
        fields: { path: "request.path" },
        collector: { cluster: "logs", path: "/ingest", batch_size: 2, flush_interval: "1s", ...extra },
      },
    });

    it("sends batches of newline-delimited JSON from the root on its tick, not on the request's path", async () => {
      const plugin = await load(wasm, collector(), { clusters: ["logs"] });
      for (const path of ["/a", "/b", "/c"]) exchange(plugin, { path });
      expect(plugin.httpCalls).toEqual([]);
      expect(plugin.logMessages().filter((m) => m.startsWith("{"))).toEqual([]);
      plugin.environment.clock.advance(1000);
      const first = plugin.httpCalls[0]!;
      expect(first.cluster).toBe("logs");
      expect([first.header(":method"), first.header(":path"), first.header("content-type")]).toEqual([
        "POST",
        "/ingest",
        "application/x-ndjson",
      ]);
      expect(new TextDecoder().decode(first.body)).toBe('{"path":"/a"}\n{"path":"/b"}\n');
      first.respond({ headers: [[":status", "204"]] });
      plugin.environment.clock.advance(1000);
      expect(new TextDecoder().decode(plugin.httpCalls[0]!.body)).toBe('{"path":"/c"}\n');
      plugin.httpCalls[0]!.respond({ headers: [[":status", "200"]] });
      expect(counter(plugin, "telemetry_access_log_lines_shipped")).toBe(3n);
    });

    it("sends the next full batch as soon as one is accepted, without waiting for a tick", async () => {
      const plugin = await load(wasm, collector(), { clusters: ["logs"] });
      for (const path of ["/a", "/b", "/c", "/d", "/e"]) exchange(plugin, { path });
      plugin.environment.clock.advance(1000);
      plugin.httpCalls[0]!.respond({ headers: [[":status", "200"]] });
      expect(new TextDecoder().decode(plugin.httpCalls[0]!.body)).toBe('{"path":"/c"}\n{"path":"/d"}\n');
      plugin.httpCalls[0]!.respond({ headers: [[":status", "200"]] });
      expect(plugin.httpCalls).toEqual([]);
      plugin.environment.clock.advance(1000);
      expect(new TextDecoder().decode(plugin.httpCalls[0]!.body)).toBe('{"path":"/e"}\n');
    });

    it("keeps each line's UTF-8 bytes and their order across batches cut from a queue that grew", async () => {
      const plugin = await load(wasm, collector({ batch_size: 3 }), { clusters: ["logs"] });
      const paths = Array.from({ length: 40 }, (_, i) => `/${"é".repeat(i * 7)}-${i}-😀`);
      const sent: string[] = [];
      // Answers the batch in flight, after a tick when none is; false when nothing was sent.
      const ship = () => {
        if (plugin.httpCalls.length === 0) plugin.environment.clock.advance(1000);
        const call = plugin.httpCalls[0];
        if (!call) return false;
        sent.push(new TextDecoder().decode(call.body));
        call.respond({ headers: [[":status", "200"]] });
        return true;
      };
      for (const [i, path] of paths.entries()) {
        exchange(plugin, { path });
        if (i % 9 === 8) ship();
      }
      while (ship());
      expect(sent.every((body) => body.endsWith("\n") && body.split("\n").length <= 4)).toBe(true);
      const lines = sent.join("").split("\n").slice(0, -1);
      expect(lines.map((line) => (JSON.parse(line) as { path: string }).path)).toEqual(paths);
      expect(counter(plugin, "telemetry_access_log_lines_shipped")).toBe(40n);
    });

    it("retries a failed batch on later ticks, then drops it and counts the lines", async () => {
      const plugin = await load(wasm, collector({ max_retries: 1 }), { clusters: ["logs"] });
      exchange(plugin, { path: "/a" });
      plugin.environment.clock.advance(1000);
      plugin.httpCalls[0]!.respond({ headers: [[":status", "503"]] });
      plugin.environment.clock.advance(1000);
      expect(new TextDecoder().decode(plugin.httpCalls[0]!.body)).toBe('{"path":"/a"}\n');
      plugin.httpCalls[0]!.fail();
      plugin.environment.clock.advance(1000);
      expect(plugin.httpCalls).toEqual([]);
      expect(counter(plugin, "telemetry_access_log_batches_failed")).toBe(2n);
      expect(counter(plugin, "telemetry_access_log_lines_dropped")).toBe(1n);
    });

    it("builds a batch in time and memory linear in its size: 200 lines leave the worker's memory at most doubled", async () => {
      const plugin = await load(wasm, collector({ batch_size: 200 }), { clusters: ["logs"] });
      const pages = () => {
        const vm = [...plugin.environment.instances.values()].find((v) => v.thread === "worker 0" && !v.discarded)!;
        const memory = Object.values(vm.instance.exports).find((e) => e instanceof WebAssembly.Memory)!;
        return (memory as WebAssembly.Memory).buffer.byteLength / 65536;
      };
      for (let i = 0; i < 300; i++) exchange(plugin, { path: `/${"p".repeat(60)}/${i}` });
      const before = pages();
      plugin.environment.clock.advance(1000);
      expect(new TextDecoder().decode(plugin.httpCalls[0]!.body).split("\n")).toHaveLength(201);
      expect(pages()).toBeLessThanOrEqual(before * 2);
    });

    it("drops and counts lines that do not fit in the queue", async () => {
      const plugin = await load(wasm, collector({ max_queue: 2 }), { clusters: ["logs"] });
      for (let i = 0; i < 5; i++) exchange(plugin, { path: `/${i}` });
      expect(counter(plugin, "telemetry_access_log_lines_dropped")).toBe(3n);
    });

    it("counts a batch for a cluster Envoy does not have as failed, without trapping", async () => {
      const plugin = await load(wasm, collector({ max_retries: 0 }));
      exchange(plugin, { path: "/a" });
      plugin.environment.clock.advance(1000);
      expect(plugin.status).toBe("running");
      expect(counter(plugin, "telemetry_access_log_lines_dropped")).toBe(1n);
    });
  });
});

describe.each(builds)("telemetry trace context (%s)", (wasm) => {
  const traced = (extra: object = {}) => ({
    standard_metrics: false,
    tracing: extra,
    access_log: { fields: { trace: "$trace_id", span: "$span_id" } },
  });

  it("keeps a valid traceparent and tracestate and logs the trace id", async () => {
    const plugin = await load(wasm, traced());
    const stream = exchange(plugin, {
      headers: [
        ["traceparent", TRACEPARENT],
        ["tracestate", "congo=t61rcWkgMzE"],
      ],
    });
    expect(stream.upstreamRequest.headers!.get("tracestate")).toBe("congo=t61rcWkgMzE");
    expect(logLines(plugin)).toEqual([{ trace: TRACE, span: PARENT }]);
  });

  it("drops an invalid tracestate and counts an invalid traceparent", async () => {
    const plugin = await load(wasm, traced());
    const stream = exchange(plugin, {
      headers: [
        ["traceparent", TRACEPARENT],
        ["tracestate", "Bad Key=1"],
      ],
    });
    expect(stream.upstreamRequest.headers!.get("tracestate")).toBeUndefined();
    exchange(plugin, { headers: [["traceparent", `00-${"0".repeat(32)}-${PARENT}-01`]] });
    expect(counter(plugin, "telemetry_traceparent_invalid")).toBe(1n);
    expect(logLines(plugin).at(-1)).toEqual({ trace: null, span: null });
  });

  it("reads B3 when there is no W3C context", async () => {
    const plugin = await load(wasm, traced());
    exchange(plugin, {
      headers: [
        ["x-b3-traceid", "a3ce929d0e0e4736"],
        ["x-b3-spanid", PARENT],
        ["x-b3-sampled", "1"],
      ],
    });
    expect(logLines(plugin)).toEqual([{ trace: "0000000000000000a3ce929d0e0e4736", span: PARENT }]);
  });

  it("starts a trace when configured and none is valid, and leaves a valid one alone", async () => {
    const plugin = await load(wasm, traced({ start_if_absent: true }));
    const started = exchange(plugin);
    const traceparent = started.upstreamRequest.headers!.get("traceparent")!;
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(logLines(plugin)[0]!.trace).toBe(traceparent.slice(3, 35));
    const kept = exchange(plugin, { headers: [["traceparent", TRACEPARENT]] });
    expect(kept.upstreamRequest.headers!.get("traceparent")).toBe(TRACEPARENT);
    expect(counter(plugin, "telemetry_traces_started")).toBe(1n);
  });

  it("drops the tracestate of an invalid context it replaces, and removes nothing when none came", async () => {
    const plugin = await load(wasm, traced({ start_if_absent: true }), { trace: true });
    const replaced = exchange(plugin, {
      headers: [
        ["traceparent", "00-bad"],
        ["tracestate", "congo=t61rcWkgMzE"],
      ],
    });
    expect(replaced.upstreamRequest.headers!.get("tracestate")).toBeUndefined();
    expect(replaced.upstreamRequest.headers!.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(plugin.trace!.countsByName(replaced).proxy_remove_header_map_value).toBe(1);
    const fresh = exchange(plugin);
    expect(fresh.upstreamRequest.headers!.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(plugin.trace!.countsByName(fresh).proxy_remove_header_map_value).toBeUndefined();
  });
});
