// Builds a test/crypto/entries library with wasm SIMD enabled, so that tests cover the code paths
// `if (ASC_FEATURE_SIMD)` selects, which the default build (test/global-setup.ts) compiles out.

import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const BUILD = join("build", "crypto-simd");

/** Compiles test/crypto/entries/<name>.ts with `--enable simd` into build/crypto-simd/ and imports its bindings. */
export async function simdLibrary<T>(name: string): Promise<T> {
  mkdirSync(BUILD, { recursive: true });
  const outFile = join(BUILD, `${name}.wasm`);
  await run(process.execPath, [
    join("node_modules", "assemblyscript", "bin", "asc.js"),
    join("test", "crypto", "entries", `${name}.ts`),
    "--config",
    join("test", "crypto", "asconfig.json"),
    "--enable",
    "simd",
    "--outFile",
    outFile,
  ]);
  return (await import(pathToFileURL(resolve(outFile.replace(/\.wasm$/, ".js"))).href)) as T;
}
