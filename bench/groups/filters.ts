// header-rewrite with envoy-configs/header-rewrite.yaml per request through the harness (the path and
// headers the envoy group sends it, which its path rule rewrites) against a pass-through module built
// with the SDK, and the release module's size against its budget.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { type HttpStream } from "../../harness/index.js";
import { wasmFilterConfiguration } from "../../test/e2e/support/config.js";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { exchangeThrough } from "../exchange.js";
import { buildPassThrough } from "../fixture-modules.js";

const SIZE_BUDGET_BYTES = 64 * 1024;
const REQUESTS = 20_000;

// envoy.header-rewrite's path and headers (bench/envoy-comparisons.ts), which the configuration's api-v1 rule matches.
const REQUEST: [string, string][] = [
  [":method", "GET"],
  [":path", "/api/v1/items/7?q=shoes"],
  [":authority", "shop.test"],
  ["x-internal-debug", "1"],
  ["x-debug-trace", "1"],
];

// Throws unless the api-v1 rule rewrote the request.
function ruleApplied(stream: HttpStream): void {
  const headers = stream.upstreamRequest.headers!;
  if (headers.get("x-resource") !== "items" || headers.get(":path") !== "/items/7?query=shoes&via=envoy-as")
    throw new Error(`filter.header-rewrite.envoy-config: the api-v1 rule did not apply: ${headers.get(":path")}`);
}

export default async function filters(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const bootstrap = parse(readFileSync(join("envoy-configs", "header-rewrite.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  const configuration = wasmFilterConfiguration(bootstrap, "header-rewrite");
  const rewrite = pairedNanoseconds(
    await exchangeThrough(join("build", "header-rewrite.wasm"), { configuration }, REQUEST, ruleApplied),
    await exchangeThrough(passThrough, {}, REQUEST),
    REQUESTS,
  );
  const size = statSync(join("build", "header-rewrite.wasm")).size;
  return [
    pairedCase("filter.header-rewrite.envoy-config", "ns/request", rewrite),
    ratioCase("size.header-rewrite", "bytes", size, SIZE_BUDGET_BYTES),
  ];
}
