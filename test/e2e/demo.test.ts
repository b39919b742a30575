// The demo chain (envoy-configs/demo.yaml: telemetry, jwt-authn, abac-authz, header-rewrite) over
// real HTTP, written once and run against both hosts: the dev proxy, and real Envoy when it is
// installed (always in CI). The requests are exactly those of the curl commands `npm start` prints.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { demoCases } from "../../cli/dev/commands.js";
import { DemoServices } from "../../cli/dev/demo.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { freePort, loadBootstrap, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, startEnvoy } from "./support/envoy.js";
import { sendRequest } from "./support/upstream.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();

type Ports = { admin: number; listener: number; upstream: number; idp: number; collector: number };

interface Host {
  name: string;
  skip: boolean;
  start(config: string, ports: Ports): Promise<{ stop(): Promise<void> }>;
}

const hosts: Host[] = [
  {
    name: "the dev proxy",
    skip: false,
    start: async (config) => DevProxy.start(await loadDevBootstrap(config)),
  },
  {
    name: `real Envoy ${envoy?.version ?? "(not installed: skipped)"}`,
    skip: !envoy,
    start: async (config, ports) => {
      const proxy = startEnvoy(envoy!, config, root);
      await proxy.waitReady(ports.admin);
      return proxy;
    },
  },
];

async function text(url: string): Promise<string> {
  return (await fetch(url)).text();
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 50 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

describe.each(hosts)("the demo chain on $name", (host) => {
  let services: DemoServices;
  let running: { stop(): Promise<void> } | null = null;
  let ports: Ports;

  beforeAll(async () => {
    if (host.skip) return;
    ports = {
      admin: await freePort(),
      listener: await freePort(),
      upstream: await freePort(),
      idp: await freePort(),
      collector: await freePort(),
    };
    const config = await writeWithPorts(await loadBootstrap(root, "demo.yaml"), {
      admin: ports.admin,
      listeners: { ingress: ports.listener },
      clusters: { upstream: ports.upstream, idp: ports.idp, "log-collector": ports.collector },
    });
    services = await DemoServices.start(await loadDevBootstrap(config));
    running = await host.start(config, ports);
  });

  afterAll(async () => {
    await running?.stop();
    await services?.stop();
  });

  it.skipIf(host.skip)("answers each printed curl command as documented, then shows the metrics and logs", async () => {
    const token = (query: string) => text(`http://127.0.0.1:${ports.idp}/token?${query}`);
    const tokens: Record<string, string> = {
      $ALICE: await token("sub=alice&role=admin&tenant=acme"),
      $BOB: await token("sub=bob&role=viewer"),
    };
    const statuses: number[] = [];
    for (const c of demoCases(ports.listener)) {
      const headers = c.headers.map(([k, v]): [string, string] => [k, v.replace(/\$ALICE|\$BOB/, (t) => tokens[t]!)]);
      const response = await sendRequest(ports.listener, c.path, headers);
      statuses.push(response.status);
      if (c.status === 200 && c.path === "/api/hello") {
        const echo = JSON.parse(response.body) as { headers: Record<string, string> };
        expect(echo.headers["x-user"]).toBe("alice");
        expect(echo.headers["x-tenant"]).toBe("acme");
        expect(echo.headers["x-debug-trace"]).toBeUndefined();
        expect(echo.headers["traceparent"]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
        expect(response.headers.find(([k]) => k === "x-served-by")?.[1]).toBe("envoy-as demo");
      }
      if (c.status === 403) expect(response.body).toBe("RBAC: access denied");
    }
    expect(statuses).toEqual(demoCases(ports.listener).map((c) => c.status));

    const metrics = await eventually(
      () => text(`http://127.0.0.1:${ports.admin}/stats/prometheus`),
      (t) => t.includes('response_code="403"'),
    );
    const count = (code: number) =>
      metrics
        .split("\n")
        .filter((l) => l.startsWith("istio_requests_total{") && l.includes(`response_code="${code}"`))
        .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
    expect([count(200), count(401), count(403)]).toEqual([2, 1, 1]);
    expect(metrics).toMatch(/^demo_requests_total\{user="alice"\} 1$/m);

    const logs = await eventually(
      () => text(`http://127.0.0.1:${ports.collector}/logs`),
      (t) => t.trim().split("\n").length >= 4,
    );
    const codes = logs
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { code: number }).code)
      .sort();
    expect(codes).toEqual([200, 200, 401, 403]);
  });
});
