// The demo's filters (envoy-configs/demo.yaml) loaded into the harness for benchmarks: each with its
// configuration from the file, a token the demo identity provider would mint, the request of the
// first `npm start` curl command, and answers for the callouts (the JWKS, access log batches).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { DEMO_AUDIENCE, DEMO_ISSUER } from "../cli/dev/demo.js";
import { type ChainedHttpStream, FilterChain, HostEnvironment, Plugin } from "../harness/index.js";
import { wasmFilterConfiguration } from "../test/e2e/support/config.js";
import { NOW, jwk, keys, token } from "../test/filters/jwt-authn/support.js";

/** The demo's filters in chain order. */
export const DEMO_FILTERS = ["telemetry", "jwt-authn", "abac-authz", "header-rewrite"];

const demoToken = token(
  "RS256",
  { iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, sub: "alice", role: "viewer", tenant: "acme", iat: NOW, exp: NOW + 3600 },
  { kid: "demo" },
);
const jwks = JSON.stringify({ keys: [jwk(keys.rsa, { kid: "demo", alg: "RS256", use: "sig" })] });

/** The `configuration` demo.yaml gives `filter`. */
export function demoConfiguration(filter: string): string {
  const bootstrap = parse(readFileSync(join("envoy-configs", "demo.yaml"), "utf8")) as Record<string, unknown>;
  return wasmFilterConfiguration(bootstrap, filter);
}

/** A chain of `filters` (module of each from `wasm`, configuration from `configuration`) in one environment. */
export async function loadChain(
  filters: string[],
  wasm: (filter: string) => string,
  configuration: (filter: string) => string,
): Promise<FilterChain> {
  const environment = new HostEnvironment({
    startTime: BigInt(NOW) * 1_000_000_000n,
    clusters: ["idp", "log-collector"],
  });
  const plugins: Plugin[] = [];
  for (const filter of filters) {
    // Lines are dropped as written, as a proxy serving for long must (telemetry logs every request).
    const onLog = () => {};
    const options = { rootId: filter, vmId: filter, configuration: configuration(filter), environment, onLog };
    const plugin = await Plugin.load(wasm(filter), options);
    if (plugin.status !== "running") throw new Error(`${filter} did not start: ${plugin.failure}`);
    plugins.push(plugin);
  }
  return new FilterChain(plugins);
}

/**
 * Sends GET /api/hello with the demo token and a debug header (the first `npm start` curl command); the
 * upstream answers 200 once the request reached it.
 */
export function sendDemoRequest(chain: FilterChain): ChainedHttpStream {
  const stream = chain.newStream();
  stream.sendRequestHeaders(
    [
      [":method", "GET"],
      [":path", "/api/hello"],
      [":authority", "127.0.0.1:10000"],
      [":scheme", "http"],
      ["authorization", `Bearer ${demoToken}`],
      ["x-debug-trace", "1"],
    ],
    true,
  );
  if (stream.upstreamRequest.headers) stream.sendResponseHeaders([[":status", "200"]], true);
  return stream;
}

/** Answers every callout the chain's filters made: the JWKS from cluster idp, 204 to anything else. */
export function answerCallouts(chain: FilterChain): void {
  for (const plugin of chain.plugins) {
    for (const call of plugin.httpCalls) {
      call.respond(
        call.cluster === "idp" ? { headers: [[":status", "200"]], body: jwks } : { headers: [[":status", "204"]] },
      );
    }
  }
}

/** Moves the chain's clock on one second (telemetry's flush interval) and answers the callouts that made. */
export function tick(chain: FilterChain): void {
  chain.plugins[0]!.environment.clock.advance(1000);
  answerCallouts(chain);
}

/** Sends the first request (which waits for the JWKS), answers the fetch, and finishes it; throws unless it passed. */
export function warmUp(chain: FilterChain): void {
  const first = sendDemoRequest(chain);
  answerCallouts(chain);
  if (!first.completed) first.sendResponseHeaders([[":status", "200"]], true);
  if (!first.completed || first.localReply) {
    throw new Error(`the demo request did not pass: ${first.localReply?.status ?? "paused"}`);
  }
}
