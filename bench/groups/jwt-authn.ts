// jwt-authn per request through the harness against the SDK's pass-through module: a token seen
// before (the verification cache answers), RS256 tokens never seen (a signature check each) and a
// request no rule covers (a health check beside /api/ rules), and the host calls each kind makes.

import { join } from "node:path";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import { claims, NOW, requestHeaders, simpleConfig, token } from "../../test/filters/jwt-authn/support.js";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { buildPassThrough } from "../fixture-modules.js";

const REQUESTS = 2_000;

async function load(wasm: string, configuration: object | string, trace = false): Promise<Plugin> {
  const environment = new HostEnvironment({ startTime: BigInt(NOW) * 1_000_000_000n });
  const plugin = await Plugin.load(wasm, { rootId: "jwt-authn", configuration, environment, trace });
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  return plugin;
}

// A request through `plugin` whose call i carries tokens[i % tokens.length]; every one must pass,
// and is answered so the stream ends (an open one stays live).
function requests(plugin: Plugin, tokens: string[]): () => void {
  let i = 0;
  return () => {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      requestHeaders("/api", [["authorization", `Bearer ${tokens[i++ % tokens.length]}`]]),
      true,
    );
    if (stream.localReply) throw new Error(`a bench token was denied: ${stream.localReply.status}`);
    stream.sendResponseHeaders([[":status", "200"]], true);
  };
}

// A request to `path` without a token through `plugin`, which must let it pass.
function untouched(plugin: Plugin, path: string): () => void {
  return () => {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(requestHeaders(path), true);
    if (stream.localReply) throw new Error(`${path} was denied: ${stream.localReply.status}`);
    stream.sendResponseHeaders([[":status", "200"]], true);
  };
}

// Host calls one request with `headers` makes, after `warm` requests with them.
async function hostCalls(configuration: object, headers: [string, string][], warm: number): Promise<number> {
  const plugin = await load(join("build", "jwt-authn.wasm"), configuration, true);
  for (let i = 0; i < warm; i++) plugin.newHttpStream().sendRequestHeaders(headers, true);
  const stream = plugin.newHttpStream();
  stream.sendRequestHeaders(headers, true);
  return plugin.trace!.countFor(stream);
}

export default async function jwtAuthn(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const wasm = join("build", "jwt-authn.wasm");
  const cachedConfig = simpleConfig();
  const uncachedConfig = simpleConfig({ jwt_cache_config: { jwt_cache_size: 0 } });
  const cachedToken = token("RS256");
  const fresh = Array.from({ length: REQUESTS }, (_, i) => token("RS256", claims({ jti: String(i) })));
  const baseline = requests(await load(passThrough, {}), [cachedToken]);
  const cached = pairedNanoseconds(requests(await load(wasm, cachedConfig), [cachedToken]), baseline, REQUESTS);
  const uncached = pairedNanoseconds(requests(await load(wasm, uncachedConfig), fresh), baseline, REQUESTS);
  const apiOnlyConfig = simpleConfig(
    {},
    { rules: [{ match: { prefix: "/api/" }, requires: { provider_name: "main" } }] },
  );
  const noRule = pairedNanoseconds(
    untouched(await load(wasm, apiOnlyConfig), "/healthz"),
    untouched(await load(passThrough, {}), "/healthz"),
    REQUESTS,
  );
  const bearer = requestHeaders("/api", [["authorization", `Bearer ${cachedToken}`]]);
  return [
    pairedCase("filter.jwt-authn.cached", "ns/request", cached),
    pairedCase("filter.jwt-authn.RS256", "ns/request", uncached),
    pairedCase("filter.jwt-authn.no-rule", "ns/request", noRule),
    ratioCase("filter.jwt-authn.cached.host-calls", "host calls/request", await hostCalls(cachedConfig, bearer, 1), 1),
    ratioCase("filter.jwt-authn.RS256.host-calls", "host calls/request", await hostCalls(uncachedConfig, bearer, 1), 1),
    ratioCase(
      "filter.jwt-authn.no-rule.host-calls",
      "host calls/request",
      await hostCalls(apiOnlyConfig, requestHeaders("/healthz"), 1),
      1,
    ),
  ];
}
