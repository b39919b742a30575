// Type-checks the docs' Node TypeScript snippets with tsc's API, as one program under the project's
// tsconfig.json, each snippet written as a module under build/docs/ts/ with `envoy-as/harness`
// pointed at the harness sources; and runs the ones marked `run`, with `vitest` pointed at
// vitest-shim.ts so a documented test file runs its tests here.

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { runCollectedTests } from "./vitest-shim.js";

const TS_BUILD = join("build", "docs", "ts");

/** A Node TypeScript module made of one or more doc blocks. */
export interface NodeModule {
  /** A file name for the module (no extension). */
  name: string;
  source: string;
  /** Wasm paths the code names, replaced with the files they stand for (e.g. a doc's compiled filter). */
  wasmPaths: Map<string, string>;
}

function importPath(fromDir: string, target: string): string {
  const path = relative(fromDir, target).split("\\").join("/");
  return path.startsWith(".") ? path : `./${path}`;
}

function rewrite(module: NodeModule, dir: string, forRunning: boolean): string {
  let source = module.source.replaceAll('"envoy-as/harness"', JSON.stringify(importPath(dir, "harness/index.js")));
  if (forRunning) {
    source = source.replaceAll('"vitest"', JSON.stringify(importPath(dir, "test/docs/vitest-shim.js")));
    for (const [from, to] of module.wasmPaths) source = source.replaceAll(JSON.stringify(from), JSON.stringify(to));
  }
  // Every snippet is a module, so top-level await and its own names are allowed.
  return `${source}\nexport {};\n`;
}

/** Writes `module` for type-checking; returns its path. */
function writeForCheck(module: NodeModule): string {
  const path = join(TS_BUILD, "check", `${module.name}.ts`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rewrite(module, dirname(path), false));
  return path;
}

/** Type-checks every module in one program; returns the diagnostics per module name (empty when clean). */
export function typeCheck(modules: NodeModule[]): Map<string, string[]> {
  const paths = new Map(modules.map((module) => [resolve(writeForCheck(module)), module.name]));
  const config = ts.readConfigFile("tsconfig.json", (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, resolve("."));
  // A snippet may show a value without using it further; everything else is the project's settings.
  const options = { ...parsed.options, noUnusedLocals: false, noUnusedParameters: false, noEmit: true };
  const program = ts.createProgram([...paths.keys()], options);
  const found = new Map(modules.map((module) => [module.name, [] as string[]]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const file = diagnostic.file ? resolve(diagnostic.file.fileName) : "";
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const name = paths.get(file);
    if (name === undefined) {
      // An error outside the snippets (say, in the harness) is reported against all of them.
      for (const list of found.values()) list.push(`${file}: ${message}`);
      continue;
    }
    const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    found.get(name)!.push(`line ${line + 1} of the snippet: TS${diagnostic.code} ${message}`);
  }
  return found;
}

/** Imports `module` (its top level runs), then runs the tests it declared through vitest-shim; throws on a failure. */
export async function runModule(module: NodeModule): Promise<number> {
  const path = resolve(TS_BUILD, "run", `${module.name}.ts`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rewrite(module, dirname(path), true));
  await import(/* @vite-ignore */ pathToFileURL(path).href);
  return runCollectedTests();
}
