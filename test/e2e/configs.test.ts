// Each filter's configuration in envoy-configs/ over real HTTP, written once and run against both
// hosts on the same ports: the dev proxy, then real Envoy (when installed; always in CI). Each
// request gets the documented status from both, and the two hosts' answers agree: status, body,
// response headers, what the upstream received, and the istio_requests_total series.

import { type Server, createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { claims, jwk, keys, token } from "../filters/jwt-authn/support.js";
import { freePort, loadBootstrap, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, startEnvoy } from "./support/envoy.js";
import { sendRequest } from "./support/upstream.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();

type Headers = [string, string][];
type Request = { path: string; headers?: Headers; method?: string; body?: string; status: number };
type Handler = (
  method: string,
  url: string,
  headers: Record<string, string>,
  body: string,
) => { status: number; headers?: Headers; body: string };

// Headers each host sets its own way (dates, connection handling, ids, timing, Envoy's own).
const VOLATILE =
  /^(date|server|connection|keep-alive|transfer-encoding|content-length|x-request-id|x-envoy-.*|x-forwarded-.*|host|traceparent)$/;

/** The upstream: answers with the request it got, as JSON. */
const echo: Handler = (method, url, headers, body) => {
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !VOLATILE.test(k)));
  return {
    status: 200,
    headers: [["content-type", "application/json"]],
    body: JSON.stringify({ method, url, headers: kept, body }),
  };
};

/** The abac-authz CUSTOM provider: alice is allowed (and named upstream), anyone else gets a 401. */
const authz: Handler = (_method, _url, headers) =>
  headers["x-user"] === "alice"
    ? { status: 200, headers: [["x-auth-user", "alice"]], body: "" }
    : { status: 401, headers: [["www-authenticate", 'Bearer realm="orders"']], body: "who are you" };

const jwks: Handler = () => ({ status: 200, body: JSON.stringify({ keys: [jwk(keys.rsa, { kid: "rsa" })] }) });

// A token for jwt-authn-remote.yaml's provider (real time, since Envoy reads the real clock).
function liveToken(offsetSeconds = 0): string {
  const now = Math.floor(Date.now() / 1000) + offsetSeconds;
  return token("RS256", claims({ iat: now, exp: now + 3600 }), { kid: "rsa" });
}

interface ConfigCase {
  file: string;
  services: Record<string, Handler>;
  requests: () => Request[];
  /** Compare istio_requests_total between the hosts. */
  metrics?: boolean;
}

const ORDER = '{"user":"alice","password":"s3cret"}';

const CASES: ConfigCase[] = [
  {
    file: "header-rewrite.yaml",
    services: { upstream: echo },
    requests: () => [
      {
        path: "/items?id=7",
        headers: [
          ["x-internal-debug", "1"],
          ["x-trace-tag", "client"],
        ],
        status: 200,
      },
      {
        path: "/api/v1/orders/7?q=shoes",
        method: "POST",
        headers: [
          ["content-type", "application/json"],
          ["x-debug-a", "1"],
          ["content-length", String(ORDER.length)],
        ],
        body: ORDER,
        status: 200,
      },
    ],
  },
  {
    file: "abac-authz.yaml",
    services: { upstream: echo, "ext-authz": authz },
    requests: () => [
      { path: "/items", status: 200 },
      { path: "/admin/users", status: 403 },
      { path: "/items", method: "DELETE", status: 403 },
      {
        path: "/orders/7",
        headers: [
          ["x-user", "alice"],
          ["x-auth-user", "spoofed"],
        ],
        status: 200,
      },
      { path: "/orders/7", headers: [["x-user", "mallory"]], status: 401 },
    ],
  },
  {
    file: "jwt-authn.yaml",
    services: { upstream: echo },
    requests: () => [
      { path: "/health", status: 200 },
      { path: "/api", status: 401 },
      { path: "/api", headers: [["authorization", "Bearer not.a.token"]], status: 401 },
    ],
  },
  {
    file: "jwt-authn-remote.yaml",
    services: { upstream: echo, idp: jwks },
    requests: () => [
      { path: "/api", headers: [["authorization", `Bearer ${liveToken()}`]], status: 200 },
      { path: "/api", headers: [["authorization", `Bearer ${liveToken(-7200)}`]], status: 401 },
    ],
  },
  {
    file: "telemetry.yaml",
    services: { upstream: echo },
    metrics: true,
    requests: () => [
      { path: "/api/items", headers: [["x-tier", "gold"]], status: 200 },
      { path: "/elsewhere", status: 404 },
    ],
  },
];

async function serve(handler: Handler, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const answer = handler(req.method ?? "", req.url ?? "", req.headers as Record<string, string>, body);
      res.statusCode = answer.status;
      for (const [k, v] of answer.headers ?? []) res.appendHeader(k, v);
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  expect((server.address() as AddressInfo).port).toBe(port);
  return server;
}

type Outcome = { status: number; headers: Headers; body: string };

async function exchange(port: number, r: Request): Promise<Outcome> {
  const response = await sendRequest(port, r.path, r.headers ?? [], { method: r.method, body: r.body });
  return {
    status: response.status,
    headers: response.headers.filter(([k]) => !VOLATILE.test(k)).sort(),
    body: response.body,
  };
}

/** istio_requests_total series as sorted `labels value` lines. */
async function requestSeries(admin: number): Promise<string[]> {
  for (let i = 0; i < 30; i++) {
    const text = await (await fetch(`http://127.0.0.1:${admin}/stats/prometheus`)).text();
    const lines = text.split("\n").filter((l) => l.startsWith("istio_requests_total{"));
    if (lines.length > 0) {
      return lines
        .map((l) => {
          const [, labels, value] = /^istio_requests_total\{(.*)\} (\S+)$/.exec(l)!;
          return `${[...labels!.matchAll(/(\w+)="([^"]*)"/g)]
            .map((m) => `${m[1]}=${m[2]}`)
            .sort()
            .join(",")} ${value}`;
        })
        .sort();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return [];
}

describe.each(CASES)("$file in the dev proxy and real Envoy", (c) => {
  const servers: Server[] = [];
  let config = "";
  let ports: { admin: number; listener: number };

  beforeAll(async () => {
    ports = { admin: await freePort(), listener: await freePort() };
    const clusters: Record<string, number> = {};
    for (const [name, handler] of Object.entries(c.services)) {
      clusters[name] = await freePort();
      servers.push(await serve(handler, clusters[name]));
    }
    config = await writeWithPorts(await loadBootstrap(root, c.file), {
      admin: ports.admin,
      listeners: { ingress: ports.listener },
      clusters,
    });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  });

  async function run(
    start: () => Promise<{ stop(): Promise<void> }>,
  ): Promise<{ outcomes: Outcome[]; series: string[] }> {
    const host = await start();
    try {
      const outcomes: Outcome[] = [];
      for (const r of c.requests()) outcomes.push(await exchange(ports.listener, r));
      return { outcomes, series: c.metrics ? await requestSeries(ports.admin) : [] };
    } finally {
      await host.stop();
    }
  }

  it("gives each request its documented status in the dev proxy", async () => {
    const dev = await run(async () => DevProxy.start(await loadDevBootstrap(config)));
    expect(dev.outcomes.map((o) => o.status)).toEqual(c.requests().map((r) => r.status));
  });

  it.skipIf(!envoy)("answers exactly as real Envoy does", async () => {
    const dev = await run(async () => DevProxy.start(await loadDevBootstrap(config)));
    const real = await run(async () => {
      const proxy = startEnvoy(envoy!, config, root);
      await proxy.waitReady(ports.admin);
      return proxy;
    });
    expect(dev.outcomes).toEqual(real.outcomes);
    expect(dev.series).toEqual(real.series);
    if (c.metrics) expect(real.series.length).toBeGreaterThan(0);
  });
});
