// header-rewrite against its Go SDK peer (bench/go-peer.ts), the same header rules in both: the
// release module's size against the Go module's (issue 14: ours >= 10x smaller), and nanoseconds
// per request through the harness, same request and response, ours against Go's (informative).

import { statSync } from "node:fs";
import { join } from "node:path";
import { Plugin, type PluginOptions } from "../../harness/index.js";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";
import { buildGoPeer } from "../go-peer.js";

const REQUESTS = 5_000;

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

async function nanosecondsPerRequest(wasm: string, options: PluginOptions): Promise<number> {
  const plugin = await Plugin.load(wasm, options);
  if (plugin.status !== "running") throw new Error(`${wasm} did not start: ${plugin.failure}`);
  return nanosecondsPerIteration(() => {
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request, true);
    stream.sendResponseHeaders(response, true);
  }, REQUESTS);
}

export default async function peer(): Promise<Case[]> {
  const go = await buildGoPeer();
  if ("skip" in go) {
    console.error(`peer: skipped: ${go.skip}`);
    return [];
  }
  const ours = join("build", "header-rewrite.wasm");
  const oursPerRequest = await nanosecondsPerRequest(ours, {
    rootId: "header-rewrite",
    configuration: go.configuration,
  });
  const goPerRequest = await nanosecondsPerRequest(go.wasm, {});
  return [
    ratioCase("peer.go.size", "bytes", statSync(ours).size, statSync(go.wasm).size),
    ratioCase("peer.go.harness", "ns/request", oursPerRequest, goPerRequest),
  ];
}
