// Builds a test/crypto/entries library without wasm SIMD, so that tests also cover the scalar code
// paths that `if (ASC_FEATURE_SIMD)` leaves out of the default (SIMD) build, for runtimes without
// SIMD.

import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const BUILD = join("build", "crypto-scalar");

/** Compiles test/crypto/entries/<name>.ts with `--disable simd` into build/crypto-scalar/ and imports its bindings. */
export async function scalarLibrary<T>(name: string): Promise<T> {
  mkdirSync(BUILD, { recursive: true });
  const outFile = join(BUILD, `${name}.wasm`);
  await run(process.execPath, [
    join("node_modules", "assemblyscript", "bin", "asc.js"),
    join("test", "crypto", "entries", `${name}.ts`),
    "--config",
    join("test", "crypto", "asconfig.json"),
    "--disable",
    "simd",
    "--outFile",
    outFile,
  ]);
  return (await import(pathToFileURL(resolve(outFile.replace(/\.wasm$/, ".js"))).href)) as T;
}
