// The dev proxy under concurrent load (issue 15): envoy-configs/demo.yaml on free ports with the demo
// services, 2,000 requests from 50 clients at once (allowed, no token, a viewer on an admin path,
// public), every answer the documented one, one access log line each, no connection error, and the
// proxy still ready after.

import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDevBootstrap } from "../../cli/dev/bootstrap.js";
import { DemoServices } from "../../cli/dev/demo.js";
import { DevProxy } from "../../cli/dev/proxy.js";
import { freePort, loadBootstrap, writeWithPorts } from "../e2e/support/config.js";
import { sendRequest } from "../e2e/support/upstream.js";

const REQUESTS = 2_000;
const CONCURRENCY = 50;

/** One kind of request and the answer the demo documents for it (cli/dev/commands.ts). */
interface Kind {
  name: string;
  path: string;
  token: "alice" | "bob" | null;
  status: number;
  check: (body: string) => boolean;
}

const KINDS: Kind[] = [
  { name: "allowed", path: "/api/hello", token: "alice", status: 200, check: (b) => b.includes('"x-tenant": "acme"') },
  { name: "no token", path: "/api/hello", token: null, status: 401, check: (b) => b === "Jwt is missing" },
  {
    name: "viewer on an admin path",
    path: "/api/admin/users",
    token: "bob",
    status: 403,
    check: (b) => b === "RBAC: access denied",
  },
  {
    name: "public",
    path: "/public/status",
    token: null,
    status: 200,
    check: (b) => b.includes('"path": "/public/status"'),
  },
];

describe("the dev proxy under concurrent load", () => {
  let services: DemoServices;
  let proxy: DevProxy;
  let ports: { admin: number; listener: number };
  const tokens: Record<string, string> = {};
  const logLines: string[] = [];

  beforeAll(async () => {
    ports = { admin: await freePort(), listener: await freePort() };
    const config = await writeWithPorts(await loadBootstrap(process.cwd(), "demo.yaml"), {
      admin: ports.admin,
      listeners: { ingress: ports.listener },
      clusters: { upstream: await freePort(), idp: await freePort(), "log-collector": await freePort() },
    });
    const bootstrap = await loadDevBootstrap(config);
    services = await DemoServices.start(bootstrap);
    proxy = await DevProxy.start(bootstrap, (line) => logLines.push(line));
    tokens["alice"] = services.token({ sub: "alice", role: "admin", tenant: "acme" });
    tokens["bob"] = services.token({ sub: "bob", role: "viewer" });
  });

  afterAll(async () => {
    await proxy?.stop();
    await services?.stop();
  });

  it(`answers ${REQUESTS} requests from ${CONCURRENCY} concurrent clients as documented, then is still ready`, async () => {
    const outcomes = new Map<string, number>();
    const unexpected: string[] = [];
    let next = 0;
    const client = async () => {
      for (let i = next++; i < REQUESTS; i = next++) {
        const kind = KINDS[i % KINDS.length]!;
        const headers: [string, string][] = kind.token ? [["authorization", `Bearer ${tokens[kind.token]}`]] : [];
        const answer = await sendRequest(ports.listener, kind.path, headers).catch((e: unknown) => String(e));
        if (typeof answer === "string") unexpected.push(`request ${i} (${kind.name}): ${answer}`);
        else if (answer.status !== kind.status || !kind.check(answer.body)) {
          unexpected.push(`request ${i} (${kind.name}): ${answer.status} ${answer.body.slice(0, 80)}`);
        } else outcomes.set(kind.name, (outcomes.get(kind.name) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));

    expect(unexpected).toEqual([]);
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(KINDS.map((k) => [k.name, REQUESTS / 4])));
    const ready = await fetch(`http://127.0.0.1:${ports.admin}/ready`);
    expect([ready.status, await ready.text()]).toEqual([200, "LIVE\n"]);
    const stats = await (await fetch(`http://127.0.0.1:${ports.admin}/stats`)).text();
    expect(stats).toMatch(/^jwt_authn_jwks_fetch_success: 1$/m);
    expect(stats).not.toMatch(/^jwt_authn_jwks_fetch_failed: [1-9]/m);
    // alice and bob pass jwt-authn; abac-authz denies bob on the admin path.
    expect(stats).toMatch(/^jwt_authn_allowed: 1000$/m);
    expect(stats).toMatch(/^reason=\.=missing;\.;jwt_authn_denied: 500$/m);
    expect(stats).toMatch(/^abac_authz_denied: 500$/m);
    // telemetry writes one access log line per request to Envoy's log, printed as Envoy prints it.
    const accessLines = logLines.filter((l) => l.includes("wasm log telemetry telemetry telemetry: {"));
    expect(accessLines).toHaveLength(REQUESTS);
    expect(accessLines[0]).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\]\[info\]\[wasm\] wasm log /);
  }, 120_000);

  it("keeps serving when clients hang up mid-request, before the upstream answered (as a load generator does when it stops)", async () => {
    for (let i = 0; i < 20; i++) {
      const socket = connect(ports.listener, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.write(`POST /public/upload HTTP/1.1\r\nhost: demo\r\ncontent-length: 100\r\n\r\n${"x".repeat(10)}`);
      await sleep(20);
      socket.destroy();
    }
    await sleep(200);
    const answer = await sendRequest(ports.listener, "/public/status", []);
    expect(answer.status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${ports.admin}/ready`);
    expect(ready.status).toBe(200);
  }, 60_000);
});
