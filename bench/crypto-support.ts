// What the crypto groups share: building a test/crypto/entries library to call from Node, and
// measuring what a verify function adds to a release filter module.

import { execFile } from "node:child_process";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { compile } from "../cli/build.js";

/** The issue's budget: the whole set of primitives adds at most 48 KB to a release module. */
export const SIZE_BUDGET_BYTES = 48 * 1024;

const run = promisify(execFile);
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");
const BUILD = join("build", "bench");

/**
 * Builds test/crypto/entries/<entryName>.ts with its ESM bindings and imports them; `scalar` builds
 * without wasm SIMD (the code paths for runtimes that lack it).
 */
export async function buildCryptoLibrary<T>(entryName: string, scalar = false): Promise<T> {
  mkdirSync(BUILD, { recursive: true });
  const library = join(BUILD, `${entryName}${scalar ? "-scalar" : ""}.wasm`);
  await run(process.execPath, [
    ASC,
    join("test", "crypto", "entries", `${entryName}.ts`),
    "--config",
    join("test", "crypto", "asconfig.json"),
    ...(scalar ? ["--disable", "simd"] : []),
    "--outFile",
    library,
  ]);
  return (await import(pathToFileURL(resolve(library.replace(/\.wasm$/, ".js"))).href)) as T;
}

// A pass-through filter exporting one verify function; the entry is written under build/bench/.
const FILTER = `export * from "../../assembly/abi/exports";
import { HttpContext, RootContext, registerRootContext } from "../../assembly";
class PassThroughRoot extends RootContext {
  newHttpContext(contextId: u32): HttpContext | null {
    return new HttpContext(contextId, this.id);
  }
}
registerRootContext((id: u32) => new PassThroughRoot(id));
`;

// The stand-in has the same signature as the real verify function and touches every argument, so
// the difference in size is the primitive's code alone, not the export or its parameters.
function standIn(verifySource: string): string {
  const signature = /export function verify\(([^)]*)\): bool/.exec(verifySource);
  if (!signature) throw new Error("the verify source has no `export function verify(...): bool`");
  const names = signature[1]!.split(",").map((p) => p.split(":")[0]!.trim());
  const last = names.pop()!;
  return `export function verify(${signature[1]}): bool {
  return ${names.map((n) => `${n}.length`).join(" + ")} == ${last}.length;
}
`;
}

async function releaseSize(name: string, source: string): Promise<number> {
  const entry = join(BUILD, `${name}.ts`);
  writeFileSync(entry, FILTER + source);
  const outFile = join(BUILD, `${name}.wasm`);
  await compile(entry, outFile, "release");
  return statSync(outFile).size;
}

/**
 * The bytes `verifySource` (which exports `verify(...): bool` over Uint8Array arguments) adds to a
 * release pass-through filter, over the same filter with a stand-in verify of that signature.
 */
export async function releaseSizeAdded(name: string, verifySource: string): Promise<number> {
  mkdirSync(BUILD, { recursive: true });
  const real = await releaseSize(`${name}-filter`, verifySource);
  const empty = await releaseSize(`${name}-stand-in`, standIn(verifySource));
  return real - empty;
}
