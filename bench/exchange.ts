// One request and its response through a plugin in the harness, timed per exchange: the case the
// filters and peer groups share (by default the Go peer's: a request header to remove, a response
// header to remove).

import { type HttpStream, Plugin, type PluginOptions } from "../harness/index.js";

// The request the Go peer's comparison sends, here and in real Envoy.
const PEER_REQUEST: [string, string][] = [
  [":method", "GET"],
  [":path", "/items?id=7"],
  [":authority", "shop.test"],
  ["user-agent", "bench"],
  ["x-internal-debug", "1"],
];
const response: [string, string][] = [
  [":status", "200"],
  ["content-type", "application/json"],
  ["x-upstream-secret", "s"],
];

/**
 * Loads `wasm` with `options` and returns one exchange of `request` through it, to be timed; `check`
 * sees the stream of one exchange first and throws when the plugin did not do what the case is about.
 */
export async function exchangeThrough(
  wasm: string,
  options: PluginOptions,
  request: [string, string][] = PEER_REQUEST,
  check: (stream: HttpStream) => void = () => {},
): Promise<() => void> {
  const plugin = await Plugin.load(wasm, options);
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  const exchange = () => {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request, true);
    stream.sendResponseHeaders(response, true);
    return stream;
  };
  check(exchange());
  return () => void exchange();
}
