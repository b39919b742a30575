// Each filter per request through the harness against a pass-through module built with the SDK,
// and each release module's size against its budget.

import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { compile } from "../../cli/build.js";
import { wasmFilterConfiguration } from "../../test/e2e/support/config.js";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { exchangeThrough } from "../exchange.js";

const SIZE_BUDGET_BYTES = 64 * 1024;
const REQUESTS = 20_000;

export default async function filters(): Promise<Case[]> {
  const passThrough = join("build", "bench", "pass-through.wasm");
  await compile(join("bench", "fixtures", "pass-through", "index.ts"), passThrough, "release");
  const bootstrap = parse(readFileSync(join("envoy-configs", "header-rewrite.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  const configuration = wasmFilterConfiguration(bootstrap, "header-rewrite");
  const rewrite = pairedNanoseconds(
    await exchangeThrough(join("build", "header-rewrite.wasm"), { configuration }),
    await exchangeThrough(passThrough, {}),
    REQUESTS,
  );
  const size = statSync(join("build", "header-rewrite.wasm")).size;
  return [
    pairedCase("filter.header-rewrite.envoy-config", "ns/request", rewrite),
    ratioCase("size.header-rewrite", "bytes", size, SIZE_BUDGET_BYTES),
  ];
}
