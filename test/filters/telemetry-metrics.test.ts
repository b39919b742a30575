// telemetry metrics: Istio's standard HTTP metrics and the value of every standard label (node
// and peer metadata, certificates, mTLS, gRPC, response flags, host fallback, reporter), Telemetry
// API overrides, custom metric definitions with CEL, and the cap on label sets.

import { describe, expect, it } from "vitest";
import { type AttributeOverrides } from "../../harness/index.js";
import {
  STANDARD_LABELS,
  builds,
  exchange,
  istioNode,
  load,
  nodeBytes,
  peerHeader,
  samples,
} from "./telemetry/support.js";

const LOCAL = nodeBytes(
  "sidecar~10.0.0.2~reviews-v2.shop~shop.svc.cluster.local",
  istioNode("reviews-v2", "shop", "reviews", "v2"),
);
const PEER = peerHeader({
  ...istioNode("productpage-v1", "front", "productpage", "v1", "east"),
  LABELS: { app: "productpage", version: "v1", "service.istio.io/canonical-name": "pp" },
});

/** The labels of the single istio_requests_total series, by name. */
function requestLabels(text: string): Record<string, string> {
  const series = [...samples(text).keys()].filter((k) => k.startsWith("istio_requests_total{"));
  expect(series).toHaveLength(1);
  const body = series[0]!.slice("istio_requests_total{".length, -1);
  return Object.fromEntries([...body.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
}

describe.each(builds)("telemetry standard metrics (%s)", (wasm) => {
  it("reports the four standard metrics with every standard label, in Istio's order", async () => {
    const plugin = await load(wasm, {});
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    exchange(plugin, {
      headers: [["x-envoy-peer-metadata", PEER]],
      attributes: {
        "xds.node": LOCAL,
        "request.duration": 12_400_000n,
        "request.total_size": 321,
        "response.total_size": 4321,
        "connection.mtls": true,
        "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/front/sa/productpage",
        "connection.uri_san_local_certificate": "spiffe://cluster.local/ns/shop/sa/reviews",
      },
    });
    const text = plugin.environment.metrics.prometheus();
    const labels = requestLabels(text);
    expect(Object.keys(labels)).toEqual(STANDARD_LABELS);
    expect(labels).toEqual({
      reporter: "destination",
      source_workload: "productpage-v1",
      source_workload_namespace: "front",
      source_principal: "spiffe://cluster.local/ns/front/sa/productpage",
      source_app: "productpage",
      source_version: "v1",
      source_canonical_service: "pp",
      source_canonical_revision: "v1",
      source_cluster: "east",
      destination_workload: "reviews-v2",
      destination_workload_namespace: "shop",
      destination_principal: "spiffe://cluster.local/ns/shop/sa/reviews",
      destination_app: "reviews",
      destination_version: "v2",
      destination_service: "reviews.shop.svc.cluster.local",
      destination_service_name: "reviews.shop.svc.cluster.local",
      destination_service_namespace: "shop",
      destination_canonical_service: "reviews",
      destination_canonical_revision: "v2",
      destination_cluster: "Kubernetes",
      request_protocol: "http",
      response_flags: "-",
      connection_security_policy: "mutual_tls",
      response_code: "200",
      grpc_response_status: "",
    });
    const metrics = plugin.environment.metrics;
    const histogram = (name: string) => {
      const key = [...metrics["stats"].keys()].find((k: string) => k.endsWith(`;.;${name}`))!;
      return metrics["stats"].get(key)!.samples;
    };
    expect(histogram("istio_request_duration_milliseconds")).toEqual([12n]);
    expect(histogram("istio_request_bytes")).toEqual([321n]);
    expect(histogram("istio_response_bytes")).toEqual([4321n]);
  });

  it("says unknown for what cannot be known, and - for no response flags", async () => {
    const plugin = await load(wasm, {});
    exchange(plugin);
    const labels = requestLabels(plugin.environment.metrics.prometheus());
    for (const name of ["source_workload", "source_principal", "destination_workload", "destination_cluster"]) {
      expect(labels[name], name).toBe("unknown");
    }
    expect([labels.connection_security_policy, labels.response_flags]).toEqual(["none", "-"]);
  });

  it("asks Envoy for each attribute once per request, and for the client's certificate only over mutual TLS", async () => {
    const user = "request.headers['x-user']";
    const configuration = {
      definitions: [{ name: "user_requests_total", dimensions: { user } }],
      access_log: { fields: { code: "response.code", flags: "$response_flags", user } },
    };
    const plugin = await load(wasm, configuration, { trace: true });
    const peerSan = "connection.uri_san_peer_certificate";
    const read = (attributes: AttributeOverrides) => {
      const stream = exchange(plugin, {
        headers: [["x-user", "ann"]],
        attributes: { "xds.node": LOCAL, ...attributes },
      });
      return plugin
        .trace!.calls.filter((c) => c.context === stream && c.name === "proxy_get_property")
        .map((c) => c.path!.join("."));
    };
    const plain = read({ [peerSan]: "spiffe://cluster.local/ns/front/sa/productpage" });
    expect(plain).toContain("response.code");
    expect(plain).toContain("response.flags");
    expect(plain).toContain("connection.mtls");
    expect(plain).toContain("request.headers.x-user");
    expect(plain).not.toContain(peerSan);
    expect(new Set(plain).size).toBe(plain.length);
    const mutual = read({ "connection.mtls": true, [peerSan]: "spiffe://cluster.local/ns/front/sa/productpage" });
    expect(mutual.filter((p) => p === peerSan)).toHaveLength(1);
    expect(new Set(mutual).size).toBe(mutual.length);
    const lines = plugin.logMessages().filter((m) => m.startsWith("{"));
    expect(lines.map((m) => JSON.parse(m) as unknown)).toEqual([
      { code: 200, flags: "-", user: "ann" },
      { code: 200, flags: "-", user: "ann" },
    ]);
    const principals = [...plugin.environment.metrics.prometheus().matchAll(/source_principal="([^"]*)"/g)].map(
      (m) => m[1],
    );
    expect(new Set(principals)).toEqual(new Set(["unknown", "spiffe://cluster.local/ns/front/sa/productpage"]));
  });

  it("labels gRPC requests grpc with their grpc-status", async () => {
    const plugin = await load(wasm, {});
    exchange(plugin, { headers: [["content-type", "application/grpc"]], attributes: { "response.grpc_status": 14 } });
    const labels = requestLabels(plugin.environment.metrics.prometheus());
    expect([labels.request_protocol, labels.grpc_response_status]).toEqual(["grpc", "14"]);
  });

  it("writes Envoy's short response flags joined with commas", async () => {
    const plugin = await load(wasm, {});
    exchange(plugin, { status: 503, attributes: { "response.flags": (1n << 1n) | (1n << 15n) } });
    const labels = requestLabels(plugin.environment.metrics.prometheus());
    expect([labels.response_flags, labels.response_code]).toEqual(["UH,URX", "503"]);
  });

  it("without the Host header fallback, destination_service is unknown", async () => {
    const plugin = await load(wasm, { disable_host_header_fallback: true });
    exchange(plugin);
    expect(requestLabels(plugin.environment.metrics.prometheus()).destination_service).toBe("unknown");
  });

  it("as the client side (reporter source), reads the peer from the response and itself as the source", async () => {
    const plugin = await load(wasm, { reporter: "source" });
    exchange(plugin, { responseHeaders: [["x-envoy-peer-metadata", PEER]], attributes: { "xds.node": LOCAL } });
    const labels = requestLabels(plugin.environment.metrics.prometheus());
    expect(labels.reporter).toBe("source");
    expect([labels.source_workload, labels.destination_workload]).toEqual(["reviews-v2", "productpage-v1"]);
    expect(labels.connection_security_policy).toBe("unknown");
  });
});

describe.each(builds)("telemetry overrides and custom metrics (%s)", (wasm) => {
  it("applies Istio's tagOverrides (UPSERT new and existing, REMOVE) and disabled", async () => {
    const config = {
      metrics: [
        { match: { metric: "ALL_METRICS" }, tagOverrides: { source_app: { operation: "REMOVE" } } },
        {
          match: { metric: "REQUEST_COUNT" },
          tagOverrides: {
            request_host: { value: "request.host" },
            response_code: { value: "'x' + string(response.code)" },
          },
        },
        { match: { metric: "REQUEST_DURATION" }, disabled: true },
        { match: { metric: "REQUEST_SIZE", mode: "CLIENT" }, disabled: true },
      ],
    };
    const plugin = await load(wasm, config, { extraTags: ["request_host"] });
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    exchange(plugin, { host: "api.test" });
    const text = plugin.environment.metrics.prometheus();
    const labels = requestLabels(text);
    expect(labels.source_app).toBeUndefined();
    expect([labels.request_host, labels.response_code]).toEqual(["api.test", "x200"]);
    expect(Object.keys(labels).at(-1)).toBe("request_host");
    expect(text).not.toContain("istio_request_duration_milliseconds_count");
    expect(text).toContain("istio_request_bytes_count");
  });

  it("reports custom counters, gauges and histograms with CEL dimensions and values", async () => {
    const config = {
      standard_metrics: false,
      definitions: [
        { name: "api_calls_total", dimensions: { method: "request.method", tier: "request.headers['x-tier']" } },
        {
          name: "api_payload_bytes",
          type: "HISTOGRAM",
          value: "request.total_size",
          dimensions: { method: "request.method" },
        },
        { name: "api_last_status", type: "GAUGE", value: "response.code" },
      ],
    };
    const plugin = await load(wasm, config, { extraTags: ["method", "tier"] });
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    exchange(plugin, { method: "POST", headers: [["x-tier", "gold"]], attributes: { "request.total_size": 90 } });
    exchange(plugin, {
      method: "POST",
      headers: [["x-tier", "gold"]],
      status: 201,
      attributes: { "request.total_size": 10 },
    });
    exchange(plugin, { method: "GET" });
    const s = samples(plugin.environment.metrics.prometheus());
    expect(s.get('api_calls_total{method="POST",tier="gold"}')).toBe(2);
    expect(s.get('api_calls_total{method="GET",tier="unknown"}')).toBe(1);
    expect(s.get('api_payload_bytes_count{method="POST"}')).toBe(2);
    expect(s.get('api_payload_bytes_sum{method="POST"}')).toBe(100);
    expect(s.get("api_last_status{}")).toBe(200);
    expect([...s.keys()].some((k) => k.startsWith("istio_"))).toBe(false);
  });

  it("caps distinct label sets per metric, counting the rest in an overflow series", async () => {
    const config = {
      standard_metrics: false,
      max_label_sets: 2,
      definitions: [{ name: "hits_total", dimensions: { path: "request.path" } }],
    };
    const plugin = await load(wasm, config, { extraTags: ["path"] });
    // Repeats in a row too: the last label set is remembered, and a refused one counts every time.
    for (const path of ["/a", "/a", "/b", "/c", "/c", "/d", "/a", "/c"]) exchange(plugin, { path });
    const s = samples(plugin.environment.metrics.prometheus());
    expect(s.get('hits_total{path="/a"}')).toBe(3);
    expect(s.get('hits_total{path="/b"}')).toBe(1);
    expect(s.get('hits_total{path="overflow"}')).toBe(4);
    expect(s.get('telemetry_label_sets_dropped{metric="hits_total"}')).toBe(4);
  });
});
