// Each filter's release module: its size against the 64 KB per-filter budget (bench/budget.json
// allows jwt-authn 1.5x), and its startup as Envoy pays it (performance.md 3.3, G8): eager TurboFan
// compile plus a first instance, in microseconds per KB, against the SDK's pass-through module.

import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Case, ratioCase } from "../case.js";
import { buildPassThrough } from "../fixture-modules.js";

const SIZE_BUDGET_BYTES = 64 * 1024;
// bench/groups/filters.ts reports this one's size already.
const SIZED_ELSEWHERE = "header-rewrite";
const ROUNDS = 9;

// Run in a child Node with Liftoff and lazy compilation off, as proxy-wasm-cpp-host runs V8: for
// each module, compile it (with a fresh custom section each time, so V8 cannot reuse a cached
// compile) and instantiate it with do-nothing imports; prints the median microseconds per KB.
const STARTUP_SCRIPT = `
const { readFileSync } = require("node:fs");
const rounds = Number(process.argv[1]);
const result = {};
for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const samples = [];
  for (let i = 0; i <= rounds; i++) {
    const name = Buffer.from("bench" + i);
    const payload = Buffer.concat([Buffer.from([name.length]), name]);
    const binary = Buffer.concat([bytes, Buffer.from([0, payload.length]), payload]);
    const start = process.hrtime.bigint();
    const module = new WebAssembly.Module(binary);
    const imports = {};
    for (const { module: from, name: field, kind } of WebAssembly.Module.imports(module)) {
      if (kind !== "function") throw new Error(file + " imports a " + kind);
      (imports[from] ??= {})[field] = () => 0;
    }
    new WebAssembly.Instance(module, imports);
    if (i > 0) samples.push(Number(process.hrtime.bigint() - start) / 1000 / (bytes.length / 1024));
  }
  samples.sort((a, b) => a - b);
  result[file] = samples[Math.floor(samples.length / 2)];
}
console.log(JSON.stringify(result));
`;

function startupMicrosecondsPerKb(files: string[]): Record<string, number> {
  const args = ["--no-liftoff", "--no-wasm-lazy-compilation", "-e", STARTUP_SCRIPT, String(ROUNDS), ...files];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: "utf8" })) as Record<string, number>;
}

export default async function modules(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const filters = readdirSync("filters").sort();
  const wasm = (filter: string) => join("build", `${filter}.wasm`);
  const startup = startupMicrosecondsPerKb([passThrough, ...filters.map(wasm)]);
  const cases: Case[] = [];
  for (const filter of filters) {
    if (filter !== SIZED_ELSEWHERE) {
      cases.push(ratioCase(`size.${filter}`, "bytes", statSync(wasm(filter)).size, SIZE_BUDGET_BYTES));
    }
    cases.push(ratioCase(`startup.${filter}`, "us/KB", startup[wasm(filter)]!, startup[passThrough]!));
  }
  return cases;
}
