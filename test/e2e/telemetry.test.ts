// telemetry in real Envoy (envoy-configs/telemetry.yaml): the same traffic (upstream 200s and
// 503s, a route Envoy does not have, a custom dimension) through Envoy and through the harness must
// give the same series, labels and counts on /stats/prometheus, and the access log lines must carry
// what the harness writes.

import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import { freePort, loadBootstrap, wasmFilterConfiguration, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, type RunningEnvoy, startEnvoy } from "./support/envoy.js";
import { sendRequest } from "./support/upstream.js";
import { wasmLogLines } from "../fidelity/envoy-log.js";
import { exchange, nodeBytes } from "../filters/telemetry/support.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();
const NO_ROUTE_FLAG = 1n << 8n;

type Sent = { path: string; method: string; status: number; headers: [string, string][] };

// Upstream 200s (some with a tier), upstream 503s, and paths no route serves (Envoy answers 404 NR).
const TRAFFIC: Sent[] = [
  ...Array.from({ length: 5 }, (_, i) => ({
    path: "/api/items",
    method: "GET",
    status: 200,
    headers: i < 3 ? [["x-tier", "gold"]] : [],
  })),
  ...Array.from({ length: 3 }, () => ({
    path: "/api/orders",
    method: "POST",
    status: 503,
    headers: [["x-status", "503"]],
  })),
  ...Array.from({ length: 2 }, () => ({ path: "/elsewhere", method: "GET", status: 404, headers: [] })),
] as Sent[];

/** An upstream answering with the status its `x-status` header asks for (200 by default). */
class StatusUpstream {
  private server: Server | null = null;

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        res.statusCode = Number(req.headers["x-status"] ?? "200");
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** `name{labels}` with the labels sorted, mapped to the sample, for the metric families in `names`. */
function series(text: string, names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || !names.includes(match[1]!)) continue;
    const labels = [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    out.set(`${match[1]}{${labels.join(",")}}`, Number(match[3]));
  }
  return out;
}

const FAMILIES = [
  "istio_requests_total",
  "tier_requests_total",
  "istio_request_duration_milliseconds_count",
  "istio_response_bytes_count",
];

describe.skipIf(!envoy)(`telemetry in real Envoy ${envoy?.version ?? ""} via ${envoy?.via ?? ""}`, () => {
  const upstream = new StatusUpstream();
  let proxy: RunningEnvoy;
  let listenerPort = 0;
  let adminPort = 0;

  beforeAll(async () => {
    const bootstrap = await loadBootstrap(root, "telemetry.yaml");
    adminPort = await freePort();
    listenerPort = await freePort();
    const ports = {
      admin: adminPort,
      listeners: { ingress: listenerPort },
      clusters: { upstream: await upstream.start() },
    };
    proxy = startEnvoy(envoy!, await writeWithPorts(bootstrap, ports), root);
    await proxy.waitReady(adminPort);
  });

  afterAll(async () => {
    await proxy?.stop();
    await upstream.stop();
  });

  it("shows the same series, labels and counts as the harness for the same traffic", async () => {
    for (const r of TRAFFIC) {
      const response = await sendRequest(listenerPort, r.path, r.headers, { method: r.method });
      expect(response.status, r.path).toBe(r.status);
    }

    const yaml = parse(readFileSync("envoy-configs/telemetry.yaml", "utf8")) as {
      node: { id: string; metadata: Record<string, string | Record<string, string>> };
      stats_config: { stats_tags: { tag_name: string; regex: string }[] };
    };
    const bootstrap = await loadBootstrap(root, "telemetry.yaml");
    const environment = new HostEnvironment({
      statsTags: yaml.stats_config.stats_tags.map((t) => ({ tagName: t.tag_name, regex: t.regex })),
    });
    const plugin = await Plugin.load("build/telemetry.wasm", {
      rootId: "telemetry",
      configuration: wasmFilterConfiguration(bootstrap, "telemetry"),
      environment,
    });
    const node = nodeBytes(yaml.node.id, yaml.node.metadata);
    for (const r of TRAFFIC) {
      const attributes = {
        "xds.node": node,
        "source.address": "127.0.0.1:50000",
        "response.flags": r.status === 404 ? NO_ROUTE_FLAG : 0n,
      };
      exchange(plugin, {
        path: r.path,
        method: r.method,
        status: r.status,
        host: `127.0.0.1:${listenerPort}`,
        headers: r.headers,
        attributes,
      });
    }
    const expected = series(environment.metrics.prometheus(), FAMILIES);
    expect([...expected.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // Envoy publishes histograms on its stats flush (every second here): wait for every count.
    let actual = new Map<string, number>();
    for (let attempt = 0; attempt < 50; attempt++) {
      const text = await (await fetch(`http://127.0.0.1:${adminPort}/stats/prometheus`)).text();
      actual = series(text, FAMILIES);
      if ([...expected].every(([k, v]) => actual.get(k) === v)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(actual).toEqual(expected);

    const logged = wasmLogLines(proxy.log).map(
      (l) => JSON.parse(l.text.slice(l.text.indexOf(" ") + 1)) as Record<string, unknown>,
    );
    const harnessLogged = plugin
      .logMessages()
      .filter((m) => m.startsWith("{"))
      .map((m) => JSON.parse(m) as Record<string, unknown>);
    const withoutTrace = (lines: Record<string, unknown>[]) =>
      lines.map(({ trace, ...rest }) => ({ ...rest, trace: typeof trace }));
    expect(withoutTrace(logged)).toEqual(withoutTrace(harnessLogged));
    expect(logged.every((l) => typeof l.trace === "string" && /^[0-9a-f]{32}$/.test(l.trace))).toBe(true);
  });
});
