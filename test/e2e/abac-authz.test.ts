// abac-authz in real Envoy (envoy-configs/abac-authz.yaml): DENY, ALLOW and a CUSTOM policy whose
// provider is a loopback HTTP authorization service. Each request's status, body, chosen response
// headers, the headers the upstream received and the check the service received are compared with
// the harness running the same module and configuration, its callouts answered by the same service
// logic.

import { createServer, type Server } from "node:http";
import { type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostEnvironment, type HttpCall, Plugin } from "../../harness/index.js";
import { ingressPorts, loadBootstrap, wasmFilterConfiguration, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, type RunningEnvoy, startEnvoy } from "./support/envoy.js";
import { RecordingUpstream, sendRequest } from "./support/upstream.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();

type Headers = [string, string][];
type Answer = { status: number; headers: Headers; body: string };
type Check = { method: string; path: string; headers: Headers };

// The authorization service's policy, shared by the real service and the harness's callouts.
function authorize(user: string | undefined): Answer {
  if (user === "alice")
    return {
      status: 200,
      headers: [
        ["x-auth-user", "alice"],
        ["x-other", "kept back"],
      ],
      body: "",
    };
  if (user === "crash") return { status: 503, headers: [], body: "down" };
  return {
    status: 401,
    headers: [
      ["www-authenticate", 'Bearer realm="orders"'],
      ["content-type", "application/json"],
    ],
    body: '{"error":"unknown user"}',
  };
}

// Every value of `name`, joined, so a duplicated header shows.
const valueOf = (headers: Headers, name: string) =>
  headers.some(([k]) => k === name)
    ? headers
        .filter(([k]) => k === name)
        .map(([, v]) => v)
        .join(" | ")
    : undefined;

/** The authorization service on 127.0.0.1: records each check and answers with authorize(). */
class AuthzService {
  readonly checks: Check[] = [];
  private server: Server | null = null;

  async start(): Promise<number> {
    this.server = createServer((req, res) => {
      const headers: Headers = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headers.push([req.rawHeaders[i]!.toLowerCase(), req.rawHeaders[i + 1]!]);
      this.checks.push({ method: req.method ?? "", path: req.url ?? "", headers });
      const answer = authorize(valueOf(headers, "x-user"));
      for (const [name, value] of answer.headers) res.appendHeader(name, value);
      res.statusCode = answer.status;
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

const cases: [string, string, Headers][] = [
  ["a read allowed by ALLOW", "/items", []],
  ["a path denied by DENY", "/admin/users", []],
  [
    "CUSTOM allowing, its header set upstream",
    "/orders/7",
    [
      ["x-user", "alice"],
      ["x-auth-user", "spoofed"],
    ],
  ],
  ["CUSTOM denying with its status and body", "/orders/7", [["x-user", "mallory"]]],
  ["CUSTOM failing (5xx)", "/orders/7", [["x-user", "crash"]]],
];

type Outcome = { status: number; body: string; wwwAuthenticate?: string; contentType?: string; upstreamUser?: string };

describe.skipIf(!envoy)(`abac-authz in real Envoy ${envoy?.version ?? ""} via ${envoy?.via ?? ""}`, () => {
  const upstream = new RecordingUpstream([]);
  const authz = new AuthzService();
  let proxy: RunningEnvoy;
  let listenerPort = 0;
  let plugin: Plugin;

  beforeAll(async () => {
    const bootstrap = await loadBootstrap(root, "abac-authz.yaml");
    const ports = await ingressPorts();
    listenerPort = ports.listeners.ingress;
    const clusters = { upstream: await upstream.start(), "ext-authz": await authz.start() };
    proxy = startEnvoy(envoy!, await writeWithPorts(bootstrap, { ...ports, clusters }), root);
    await proxy.waitReady(ports.admin);
    plugin = await Plugin.load("build/abac-authz.wasm", {
      rootId: "abac-authz",
      configuration: wasmFilterConfiguration(bootstrap, "abac-authz"),
      environment: new HostEnvironment({ clusters: ["upstream", "ext-authz"] }),
    });
  });

  afterAll(async () => {
    await proxy?.stop();
    await upstream.stop();
    await authz.stop();
  });

  // The harness, for the same request; the check it sends is answered by authorize().
  function harnessOutcome(path: string, headers: Headers): { outcome: Outcome; check?: HttpCall } {
    const stream = plugin.newHttpStream(0, { attributes: { "source.address": "127.0.0.1:50000" } });
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", path],
        [":authority", `127.0.0.1:${listenerPort}`],
        [":scheme", "http"],
        ...headers,
      ],
      true,
    );
    const check = plugin.httpCalls[0];
    if (check) {
      const answer = authorize(check.header("x-user"));
      check.respond({ headers: [[":status", String(answer.status)], ...answer.headers], body: answer.body });
    }
    if (stream.localReply) {
      const reply = stream.downstreamResponse;
      const header = (name: string) => valueOf(reply.headers!.all(), name);
      return {
        check,
        outcome: {
          status: stream.localReply.status,
          body: new TextDecoder().decode(reply.body),
          wwwAuthenticate: header("www-authenticate"),
          contentType: header("content-type"),
        },
      };
    }
    stream.sendResponseHeaders([[":status", "200"]], false);
    stream.sendResponseBody("upstream body", true);
    const upstreamUser = valueOf(stream.upstreamRequest.headers!.all(), "x-auth-user");
    return { check, outcome: { status: 200, body: "upstream body", upstreamUser } };
  }

  it.each(cases)("%s: the same status, body, headers and check as the harness", async (_, path, headers) => {
    const upstreamBefore = upstream.requests.length;
    const checksBefore = authz.checks.length;
    const response = await sendRequest(listenerPort, path, headers);
    const reachedUpstream = upstream.requests.length > upstreamBefore;
    const real: Outcome =
      response.status === 200 && reachedUpstream
        ? { status: 200, body: response.body, upstreamUser: valueOf(upstream.requests.at(-1)!.headers, "x-auth-user") }
        : {
            status: response.status,
            body: response.body,
            wwwAuthenticate: valueOf(response.headers, "www-authenticate"),
            contentType: valueOf(response.headers, "content-type"),
          };
    const { outcome, check } = harnessOutcome(path, headers);
    expect(real).toEqual(outcome);

    const realCheck = authz.checks.length > checksBefore ? authz.checks.at(-1)! : undefined;
    expect(realCheck === undefined).toBe(check === undefined);
    if (!realCheck || !check) return;
    expect(realCheck.method).toBe(check.header(":method"));
    expect(realCheck.path).toBe(check.header(":path"));
    expect(valueOf(realCheck.headers, "host")).toBe(check.header(":authority"));
    for (const [name, value] of check.headers) {
      if (!name.startsWith(":")) expect(valueOf(realCheck.headers, name), name).toBe(value);
    }
  });

  it("answers as the cases expect", async () => {
    const statuses = [];
    for (const [, path, headers] of cases) statuses.push((await sendRequest(listenerPort, path, headers)).status);
    expect(statuses).toEqual([200, 403, 200, 401, 403]);
  });
});
