// `envoy-as build [NAME...]`: compiles each filters/<name>/index.ts to build/<name>.wasm
// (release) and build/<name>.debug.wasm (debug) with the project's asconfig.json.

import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import asc from "assemblyscript/asc";

/** One compiled output. */
export interface BuiltFile {
  filter: string;
  target: "release" | "debug";
  path: string;
  bytes: number;
}

const TARGETS = [
  { target: "release", suffix: ".wasm" },
  { target: "debug", suffix: ".debug.wasm" },
] as const;

/** Lists the filter folders (those with an index.ts) under `root/filters`. */
export async function listFilters(root: string): Promise<string[]> {
  const entries = await readdir(join(root, "filters"), { withFileTypes: true }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      throw new Error(
        `no filters/ folder in ${root}: run envoy-as from the project root, or create one: envoy-as new NAME`,
      );
    },
  );
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const index = await stat(join(root, "filters", entry.name, "index.ts")).catch(() => null);
    if (index?.isFile()) names.push(entry.name);
  }
  return names.sort();
}

/** Compiles one AssemblyScript entry file to `outFile` with an asconfig.json target; throws with the compiler's messages. */
export async function compile(entry: string, outFile: string, target: string, extraArgs: string[] = []): Promise<void> {
  const stderr: string[] = [];
  const result = await asc.main(
    [entry, "--config", "asconfig.json", "--target", target, "--outFile", outFile, ...extraArgs],
    {
      stdout: { write: () => true },
      stderr: { write: (chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0 },
    },
  );
  if (result.error) throw new Error(`${entry} (${target}) failed to compile:\n${stderr.join("")}`);
}

/** Compiles `names` (every filter when empty), printing a line per output; throws on the first compile error. */
export async function buildFilters(root: string, names: string[], print: (line: string) => void): Promise<BuiltFile[]> {
  const available = await listFilters(root);
  const unknown = names.filter((n) => !available.includes(n));
  if (unknown.length > 0) {
    throw new Error(
      `no such filter: ${unknown.join(", ")} (filters/ has: ${available.join(", ") || "none"}; envoy-as new NAME creates one)`,
    );
  }
  const built: BuiltFile[] = [];
  for (const filter of names.length > 0 ? names : available) {
    for (const { target, suffix } of TARGETS) {
      const path = join("build", filter + suffix);
      await compile(join("filters", filter, "index.ts"), path, target);
      const bytes = (await stat(join(root, path))).size;
      built.push({ filter, target, path, bytes });
      print(`built ${path.padEnd(36)} ${(bytes / 1024).toFixed(1).padStart(7)} KiB  (${target})`);
    }
  }
  return built;
}
