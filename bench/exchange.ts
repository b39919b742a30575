// One request and its response through a plugin in the harness, timed per exchange: the case the
// filters and peer groups share (a request header to remove, a response header to remove).

import { Plugin, type PluginOptions } from "../harness/index.js";

const request: [string, string][] = [
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

/** Loads `wasm` with `options` and returns one sample exchange through it, to be timed. */
export async function exchangeThrough(wasm: string, options: PluginOptions): Promise<() => void> {
  const plugin = await Plugin.load(wasm, options);
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  return () => {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request, true);
    stream.sendResponseHeaders(response, true);
  };
}
