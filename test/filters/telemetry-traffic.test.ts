// 10,000 requests of mixed traffic through the harness: the Prometheus text must hold exactly the
// series and counts the test computes on its own from the traffic it sent (standard counter and
// histogram counts, a custom counter with a CEL dimension).

import { describe, expect, it } from "vitest";
import { builds, exchange, load, samples } from "./telemetry/support.js";

const REQUESTS = 10_000;
const METHODS = ["GET", "POST", "DELETE"];
const STATUSES = [200, 201, 404, 503];
const HOSTS = ["reviews.shop:9080", "ratings.shop"];

type Request = { method: string; status: number; host: string; grpc: boolean; tier: string };

// A deterministic mix (a linear congruential generator), so a failure can be reproduced.
function traffic(): Request[] {
  let state = 12345;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  return Array.from({ length: REQUESTS }, () => ({
    method: METHODS[next(METHODS.length)]!,
    status: STATUSES[next(STATUSES.length)]!,
    host: HOSTS[next(HOSTS.length)]!,
    grpc: next(5) === 0,
    tier: ["gold", "free", ""][next(3)]!,
  }));
}

// The series the standard counter must show, keyed as the Prometheus text writes them.
function expectedRequestSeries(requests: Request[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of requests) {
    const host = r.host.split(":")[0]!;
    const labels = [
      'reporter="destination"',
      ...[
        "workload",
        "workload_namespace",
        "principal",
        "app",
        "version",
        "canonical_service",
        "canonical_revision",
        "cluster",
      ].map((l) => `source_${l}="unknown"`),
      ...["workload", "workload_namespace", "principal", "app", "version"].map((l) => `destination_${l}="unknown"`),
      `destination_service="${host}"`,
      `destination_service_name="${host}"`,
      ...["service_namespace", "canonical_service", "canonical_revision", "cluster"].map(
        (l) => `destination_${l}="unknown"`,
      ),
      `request_protocol="${r.grpc ? "grpc" : "http"}"`,
      'response_flags="-"',
      'connection_security_policy="none"',
      `response_code="${r.status}"`,
      `grpc_response_status="${r.grpc ? "0" : ""}"`,
    ];
    const key = `istio_requests_total{${labels.join(",")}}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

describe.each(builds)("telemetry under 10,000 requests (%s)", (wasm) => {
  it("produces exactly the series and counts of the traffic sent", async () => {
    const config = {
      definitions: [{ name: "tier_requests_total", dimensions: { tier: "request.headers['x-tier']" } }],
    };
    const plugin = await load(wasm, config, { extraTags: ["tier"] });
    const requests = traffic();
    for (const r of requests) {
      const headers: [string, string][] = [];
      if (r.grpc) headers.push(["content-type", "application/grpc"]);
      if (r.tier !== "") headers.push(["x-tier", r.tier]);
      const attributes: Record<string, number> = r.grpc ? { "response.grpc_status": 0 } : {};
      exchange(plugin, { method: r.method, status: r.status, host: r.host, headers, attributes });
    }
    const actual = samples(plugin.environment.metrics.prometheus());
    const counters = new Map([...actual].filter(([k]) => k.startsWith("istio_requests_total{")));
    expect(counters).toEqual(expectedRequestSeries(requests));
    const histogramCounts = [...actual].filter(([k]) => k.startsWith("istio_request_duration_milliseconds_count{"));
    expect(histogramCounts.length).toBe(counters.size);
    expect(histogramCounts.reduce((sum, [, v]) => sum + v, 0)).toBe(REQUESTS);
    const tiers = new Map<string, number>();
    for (const r of requests) tiers.set(r.tier || "unknown", (tiers.get(r.tier || "unknown") ?? 0) + 1);
    for (const [tier, count] of tiers) expect(actual.get(`tier_requests_total{tier="${tier}"}`), tier).toBe(count);
  }, 120_000);
});
