// Each filter per request through the harness against a pass-through module built with the SDK,
// and each release module's size against its budget.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { compile } from "../../cli/build.js";
import { Plugin, type PluginOptions } from "../../harness/index.js";
import { wasmFilterConfiguration } from "../../test/e2e/support/config.js";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";

const SIZE_BUDGET_BYTES = 64 * 1024;
const REQUESTS = 20_000;

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

export default async function filters(): Promise<Case[]> {
  const passThrough = join("build", "bench", "pass-through.wasm");
  await compile(join("bench", "fixtures", "pass-through", "index.ts"), passThrough, "release");
  const bootstrap = parse(readFileSync(join("envoy-configs", "header-rewrite.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  const configuration = wasmFilterConfiguration(bootstrap, "header-rewrite");
  const baseline = await nanosecondsPerRequest(passThrough, {});
  const rewrite = await nanosecondsPerRequest(join("build", "header-rewrite.wasm"), { configuration });
  const size = statSync(join("build", "header-rewrite.wasm")).size;
  return [
    ratioCase("filter.header-rewrite.envoy-config", "ns/request", rewrite, baseline),
    ratioCase("size.header-rewrite", "bytes", size, SIZE_BUDGET_BYTES),
  ];
}
