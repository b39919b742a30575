// Compiles the AssemblyScript snippets of the docs with asc, in separate compiler processes (two at
// a time), under build/docs/: filters against the SDK with the project's asconfig.json (debug
// target), and plain programs with ESM bindings so their exported functions can be called.

import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");
const PARALLEL_COMPILES = 2;

/** Where the docs' compiled filters go: build/docs/<name>.wasm. */
export const DOCS_BUILD = join("build", "docs");

/** The outcome of one compile: asc's exit and its messages. */
export interface CompileResult {
  ok: boolean;
  messages: string;
}

/** A doc module's import of the SDK, written as a filter under filters/<name>/ writes it. */
const SDK_IMPORT = /(["'])\.\.\/\.\.\/assembly/g;

function writeEntry(dir: string, source: string): string {
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "index.ts");
  const sdk = relative(dir, "assembly").split("\\").join("/");
  writeFileSync(entry, source.replace(SDK_IMPORT, `$1${sdk}`));
  return entry;
}

async function asc(args: string[]): Promise<CompileResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [ASC, ...args]);
    return { ok: true, messages: stdout + stderr };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    return { ok: false, messages: (failure.stdout ?? "") + (failure.stderr ?? String(error)) };
  }
}

/** Compiles `source` as the entry file of filter `name` to build/docs/<name>.wasm. */
export function compileFilter(name: string, source: string): Promise<CompileResult> {
  const entry = writeEntry(join(DOCS_BUILD, "src", name), source);
  const outFile = join(DOCS_BUILD, `${name}.wasm`);
  return asc([entry, "--config", "asconfig.json", "--target", "debug", "--outFile", outFile]);
}

/** Compiles `source` as a plain program (no host) to build/docs/run/<name>.wasm with ESM bindings. */
export function compileProgram(name: string, source: string): Promise<CompileResult> {
  const entry = writeEntry(join(DOCS_BUILD, "run-src", name), source);
  const outFile = join(DOCS_BUILD, "run", `${name}.wasm`);
  return asc([entry, "--config", join("test", "crypto", "asconfig.json"), "--outFile", outFile]);
}

/** Calls every exported function of a program built by compileProgram; returns which ones trapped, with why. */
export async function callExports(name: string): Promise<Map<string, string | null>> {
  const bindings = resolve(DOCS_BUILD, "run", `${name}.js`);
  const module = (await import(/* @vite-ignore */ pathToFileURL(bindings).href)) as Record<string, unknown>;
  const outcomes = new Map<string, string | null>();
  for (const [exported, value] of Object.entries(module)) {
    if (typeof value !== "function" || exported.startsWith("__")) continue;
    try {
      (value as () => unknown)();
      outcomes.set(exported, null);
    } catch (error) {
      outcomes.set(exported, error instanceof Error ? error.message : String(error));
    }
  }
  return outcomes;
}

/** Runs `jobs` with at most PARALLEL_COMPILES at a time, keeping their order. */
export async function inParallel<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < jobs.length; index = next++) results[index] = await jobs[index]!();
  };
  await Promise.all(Array.from({ length: PARALLEL_COMPILES }, worker));
  return results;
}

function sourceFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...sourceFiles(path));
    else if (path.endsWith(".ts")) found.push(path);
  }
  return found;
}

/** The AssemblyScript sources the build or the test setup compiles: the SDK, the filters and the test fixtures. */
export function compiledSources(): { path: string; text: string }[] {
  return ["assembly", "filters", join("test", "fixtures")]
    .flatMap((dir) => sourceFiles(dir))
    .map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

/** The compiled source file that holds `code` verbatim, or null. */
export function excerptSource(code: string, sources: { path: string; text: string }[]): string | null {
  return sources.find((source) => source.text.includes(code))?.path ?? null;
}

/** The first error line of asc's output, for failure messages. */
export function firstError(messages: string): string {
  const lines = messages.split("\n");
  const index = lines.findIndex((line) => line.includes("ERROR"));
  return index < 0 ? messages.trim() : lines.slice(index, index + 4).join("\n");
}
