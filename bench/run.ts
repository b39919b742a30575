// `npm run bench [-- --json FILE]`: per-request cost of each filter through the harness as a
// ratio to a pass-through module measured in the same run, and each release module's size
// against its budget. Output format: DESIGN.md ("cases": name, unit, value, baseline, ratio).

import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { compile } from "../cli/build.js";
import { Plugin, type PluginOptions } from "../harness/index.js";
import { wasmFilterConfiguration } from "../test/e2e/support/config.js";

interface Case {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  ratio: number;
}

const SIZE_BUDGET_BYTES = 64 * 1024;
const REQUESTS = 20_000;
const ROUNDS = 5;

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
  const run = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < REQUESTS; i++) {
      const stream = plugin.newHttpStream();
      stream.sendRequestHeaders(request, true);
      stream.sendResponseHeaders(response, true);
    }
    return Number(process.hrtime.bigint() - start) / REQUESTS;
  };
  run();
  const samples = Array.from({ length: ROUNDS }, run).sort((a, b) => a - b);
  return samples[Math.floor(ROUNDS / 2)]!;
}

function ratioCase(name: string, unit: string, value: number, baseline: number): Case {
  return { name, unit, value: Math.round(value), baseline: Math.round(baseline), ratio: value / baseline };
}

async function main(argv: string[]): Promise<void> {
  const jsonIndex = argv.indexOf("--json");
  const jsonFile = jsonIndex >= 0 ? argv[jsonIndex + 1] : undefined;
  if (jsonIndex >= 0 && !jsonFile) throw new Error("--json needs a file name");

  const passThrough = join("build", "bench", "pass-through.wasm");
  await compile(join("bench", "fixtures", "pass-through", "index.ts"), passThrough, "release");
  const bootstrap = parse(readFileSync(join("envoy-configs", "header-rewrite.yaml"), "utf8")) as Record<
    string,
    unknown
  >;
  const configuration = wasmFilterConfiguration(bootstrap, "header-rewrite");

  const cases: Case[] = [];
  const baseline = await nanosecondsPerRequest(passThrough, {});
  const rewrite = await nanosecondsPerRequest(join("build", "header-rewrite.wasm"), { configuration });
  cases.push(ratioCase("filter.header-rewrite.envoy-config", "ns/request", rewrite, baseline));
  const size = statSync(join("build", "header-rewrite.wasm")).size;
  cases.push(ratioCase("size.header-rewrite", "bytes", size, SIZE_BUDGET_BYTES));

  for (const c of cases) {
    console.log(
      `${c.name.padEnd(40)} ${String(c.value).padStart(9)} ${c.unit.padEnd(11)} baseline ${String(c.baseline).padStart(9)}  ratio ${c.ratio.toFixed(2)}`,
    );
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ cases }, null, 2) + "\n");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
