// jwt-authn with remote_jwks in real Envoy (envoy-configs/jwt-authn-remote.yaml) on two workers:
// a local JWKS server counts its hits, and good, expired, forged and unknown-kid tokens get the
// statuses the harness gives them, while the JWKS is fetched once for the whole process.

import { createServer, type Server } from "node:http";
import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import { ingressPorts, loadBootstrap, wasmFilterConfiguration, writeWithPorts } from "./support/config.js";
import { requireEnvoyInCi, type RunningEnvoy, startEnvoy } from "./support/envoy.js";
import { RecordingUpstream, sendRequest } from "./support/upstream.js";
import { b64u, claims, jwk, keys, token } from "../filters/jwt-authn/support.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();
const jwks = JSON.stringify({ keys: [jwk(keys.rsa, { kid: "rsa" })] });

// Real Envoy reads the real clock: tokens are made for now, not for the harness's fixed NOW.
function tokensAt(seconds: number): Record<string, string> {
  const live = claims({ iat: seconds, exp: seconds + 3600 });
  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const input = `${b64u(JSON.stringify({ alg: "RS256", kid: "rsa" }))}.${b64u(JSON.stringify(live))}`;
  return {
    good: token("RS256", live, { kid: "rsa" }),
    expired: token("RS256", claims({ iat: seconds - 7200, exp: seconds - 3600 }), { kid: "rsa" }),
    forged: `${input}.${b64u(sign("sha256", Buffer.from(input), attacker.privateKey))}`,
    unknownKid: token("RS256", live, { kid: "elsewhere" }),
  };
}

/** A JWKS server on 127.0.0.1 that counts its requests. */
class JwksServer {
  hits = 0;
  private server: Server | null = null;

  async start(): Promise<number> {
    this.server = createServer((_request, res) => {
      this.hits++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(jwks);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe.skipIf(!envoy)(`jwt-authn remote JWKS in real Envoy ${envoy?.version ?? ""} via ${envoy?.via ?? ""}`, () => {
  const upstream = new RecordingUpstream([]);
  const idp = new JwksServer();
  let proxy: RunningEnvoy;
  let listenerPort = 0;

  beforeAll(async () => {
    const bootstrap = await loadBootstrap(root, "jwt-authn-remote.yaml");
    const ports = await ingressPorts();
    listenerPort = ports.listeners.ingress;
    const clusters = { upstream: await upstream.start(), idp: await idp.start() };
    const config = await writeWithPorts(bootstrap, { ...ports, clusters });
    proxy = startEnvoy(envoy!, config, root, 2);
    await proxy.waitReady(ports.admin);
  });

  afterAll(async () => {
    await proxy?.stop();
    await upstream.stop();
    await idp.stop();
  });

  it("answers each kind of token as the harness does, with one JWKS fetch for both workers", async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = tokensAt(now);
    const statuses: Record<string, number> = {};
    // Several concurrent requests per kind, so both workers (and the first requests, paused for
    // the fetch) are exercised.
    for (const [kind, jwt] of Object.entries(tokens)) {
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => sendRequest(listenerPort, "/api", [["authorization", `Bearer ${jwt}`]])),
      );
      const seen = new Set(replies.map((r) => r.status));
      expect(seen.size, `${kind}: ${[...seen].join(",")}`).toBe(1);
      statuses[kind] = replies[0]!.status;
    }
    expect(statuses).toEqual({ good: 200, expired: 401, forged: 401, unknownKid: 401 });
    expect(upstream.requests.at(-1)?.headers.find(([k]) => k === "x-jwt-sub")?.[1]).toBe("alice");
    // The unknown kid came within the refetch cooldown of the first fetch, so it fetched nothing.
    expect(idp.hits).toBe(1);

    const bootstrap = await loadBootstrap(root, "jwt-authn-remote.yaml");
    const environment = new HostEnvironment({ startTime: BigInt(now) * 1_000_000_000n, clusters: ["idp"] });
    const plugin = await Plugin.load("build/jwt-authn.wasm", {
      rootId: "jwt-authn",
      configuration: wasmFilterConfiguration(bootstrap, "jwt-authn"),
      environment,
      workers: 2,
    });
    const harness: Record<string, number | string> = {};
    const request = (jwt: string, worker: number) => {
      const stream = plugin.newHttpStream(worker);
      stream.sendRequestHeaders(
        [
          [":method", "GET"],
          [":path", "/api"],
          [":authority", "api.test"],
          [":scheme", "http"],
          ["authorization", `Bearer ${jwt}`],
        ],
        true,
      );
      return stream;
    };
    const first = request(tokens.good!, 0);
    plugin.httpCalls[0]!.respond({ headers: [[":status", "200"]], body: jwks });
    environment.clock.advance(1000);
    expect(first.upstreamRequest.headers).not.toBeNull();
    for (const [kind, jwt] of Object.entries(tokens)) {
      const stream = request(jwt, 1);
      harness[kind] = stream.localReply ? stream.localReply.status : stream.upstreamRequest.headers ? 200 : "paused";
    }
    expect(harness).toEqual(statuses);
  });
});
