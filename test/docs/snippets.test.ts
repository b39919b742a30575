// Every fenced code block of every Markdown file in the project is compiled, type-checked, run or
// validated here; a block whose info string says nothing known fails with its file:line. The
// convention (also in ARCHITECTURE.md, "Docs and their snippets"), by the info string's first word:
//
// - `ts` is AssemblyScript, unless it imports `envoy-as/harness`, `vitest` or a `node:` module (then
//   it is Node TypeScript, as `typescript` always is). AssemblyScript is compiled with asc against the
//   SDK as a filter's entry file (importing "../../assembly"), unless it says otherwise:
//   `file=NAME` joins the document's blocks of that NAME, in order, into one filter, built to
//   build/docs/NAME.wasm, which other snippets load as build/NAME.wasm; `error=CODE` must fail to
//   compile with diagnostic CODE (AS100, TS2322...); `run` is a plain program (no SDK) whose
//   exported functions are all called and must return, except those listed in `traps=a,b`, which
//   must trap. A block without attributes that does not compile alone passes only as a verbatim
//   excerpt of a file the build or the test setup compiles (assembly/, filters/, test/fixtures/).
// - Node TypeScript is type-checked with the project's tsconfig.json (`envoy-as/harness` is the
//   harness's source); `file=NAME` joins blocks as above; `run` also runs it (its `vitest` tests too).
// - `json` is parsed (a list of members, `"name": value`, is read inside braces). A filter's
//   configuration (`config=NAME`, or any whole `json` block in filters/NAME/README.md) must pass
//   NAME's config.schema.json and be accepted by the built filter's on_configure in the harness;
//   `json schema=NAME` is a JSON Schema for filter NAME that the docs' `config=NAME` blocks must pass;
//   `json scenario` is parsed as a harness scenario and run against the module it names.
// - `yaml`: a Kubernetes resource is checked as `envoy-as validate` checks one; any other mapping as
//   an Envoy bootstrap (or part of one) against Envoy's protos and referenced files, a list as HTTP
//   filters.
// - `sh`, `bash`, `shell`, `console` (its `$ ` lines): envoy-as commands and options, npm scripts
//   and project paths must exist (test/docs/commands.ts). `text`, `txt`, `output` or no info
//   string: shown, not code.

import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  callExports,
  compiledSources,
  compileFilter,
  compileProgram,
  type CompileResult,
  DOCS_BUILD,
  excerptSource,
  firstError,
  inParallel,
} from "./assemblyscript.js";
import { commandLines, commandProblems, readCli } from "./commands.js";
import {
  configProblems,
  parseJsonSnippet,
  scenarioModule,
  scenarioProblems,
  schemaProblems,
  yamlProblems,
} from "./configs.js";
import { allBlocks, type Block, where } from "./markdown.js";
import { type NodeModule, runModule, typeCheck } from "./typescript.js";

type Kind = "assemblyscript" | "typescript" | "json" | "yaml" | "shell" | "text";

const KINDS: Record<string, Kind> = {
  typescript: "typescript",
  json: "json",
  yaml: "yaml",
  sh: "shell",
  bash: "shell",
  shell: "shell",
  console: "shell",
  text: "text",
  txt: "text",
  output: "text",
  "": "text",
};

/** The bare words and attributes each kind understands. */
const ALLOWED: Record<Kind, { words: string[]; attributes: string[] }> = {
  assemblyscript: { words: ["run"], attributes: ["file", "error", "traps"] },
  typescript: { words: ["run"], attributes: ["file"] },
  json: { words: ["scenario"], attributes: ["config", "schema"] },
  yaml: { words: [], attributes: [] },
  shell: { words: [], attributes: [] },
  text: { words: [], attributes: [] },
};

const NODE_IMPORT = /from "(envoy-as\/harness|vitest|node:[^"]+)"/;

function kindOf(block: Block): Kind | null {
  if (block.lang === "ts") return NODE_IMPORT.test(block.code) ? "typescript" : "assemblyscript";
  return KINDS[block.lang] ?? null;
}

function problemsOfInfo(block: Block): string | null {
  const kind = kindOf(block);
  if (kind === null) return `${where(block)}: unknown info string "${block.info}"`;
  const allowed = ALLOWED[kind];
  const unknown = [
    ...block.words.filter((word) => !allowed.words.includes(word)),
    ...[...block.attributes.keys()].filter((key) => !allowed.attributes.includes(key)),
  ];
  return unknown.length === 0 ? null : `${where(block)}: ${kind} blocks take no "${unknown.join('", "')}"`;
}

const blocks = allBlocks(".");
const byKind = (kind: Kind) => blocks.filter((block) => problemsOfInfo(block) === null && kindOf(block) === kind);

/** Blocks joined into modules: one per `file=NAME` of a document, one per other block. */
interface Joined {
  name: string;
  blocks: Block[];
  source: string;
}

function joinModules(list: Block[]): Joined[] {
  const modules = new Map<string, Joined>();
  for (const block of list) {
    const named = block.attributes.get("file");
    const key = named ? `${block.file}#${named}` : where(block);
    const name = named ?? where(block).replace(/[^a-zA-Z0-9]+/g, "-");
    const module = modules.get(key) ?? { name, blocks: [], source: "" };
    module.blocks.push(block);
    module.source += block.code;
    modules.set(key, module);
  }
  return [...modules.values()];
}

const label = (module: Joined) => module.blocks.map(where).join(", ");
const assemblyScript = joinModules(byKind("assemblyscript"));
const typeScript = joinModules(byKind("typescript"));
/** Filters the docs build (`ts file=NAME`), by name. */
const docFilters = new Set(
  assemblyScript.filter((m) => m.blocks[0]!.attributes.has("file") && isFilter(m)).map((m) => m.name),
);

function isFilter(module: Joined): boolean {
  const first = module.blocks[0]!;
  return !first.words.includes("run") && !first.attributes.has("error");
}

/** The Wasm file a snippet's "build/NAME.wasm" means: a filter the docs build, else the project's build. */
function wasmFor(path: string): string {
  const name = /^build\/([a-z0-9-]+)\.wasm$/.exec(path)?.[1];
  return name !== undefined && docFilters.has(name) ? `${DOCS_BUILD}/${name}.wasm` : path;
}

const compiled = new Map<Joined, CompileResult>();
const sources = compiledSources();

beforeAll(async () => {
  const jobs = assemblyScript
    .filter((module) => isFilter(module) === false || excerptSource(module.source, sources) === null)
    .map((module) => async () => {
      const first = module.blocks[0]!;
      const result = first.words.includes("run")
        ? await compileProgram(module.name, module.source)
        : await compileFilter(module.name, module.source);
      compiled.set(module, result);
    });
  await inParallel(jobs);
}, 300_000);

describe("the docs' code blocks", () => {
  it("all have an info string this test knows, with attributes their kind takes", () => {
    expect(blocks.length).toBeGreaterThan(50);
    expect(blocks.map(problemsOfInfo).filter((problem) => problem !== null)).toEqual([]);
  });

  it("use each doc filter name once across the docs", () => {
    const names = assemblyScript.filter((m) => m.blocks[0]!.attributes.has("file")).map((m) => m.name);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });
});

describe("AssemblyScript blocks", () => {
  it.each(assemblyScript.map((module) => [label(module), module] as const))("%s", async (_, module) => {
    const first = module.blocks[0]!;
    const result = compiled.get(module);
    const expectedError = first.attributes.get("error");
    if (expectedError !== undefined) {
      expect(result?.ok, "compiled, but the doc says it does not").toBe(false);
      expect(result?.messages).toContain(`${expectedError}:`);
    } else if (result === undefined) {
      // Not compiled: it is an excerpt of a compiled source file.
      expect(excerptSource(module.source, sources)).not.toBeNull();
    } else {
      expect(result.ok, firstError(result.messages)).toBe(true);
      if (first.words.includes("run")) {
        const traps = (first.attributes.get("traps") ?? "").split(",").filter(Boolean);
        const outcomes = await callExports(module.name);
        for (const name of traps) expect(outcomes.get(name), `${name} should trap`).toEqual(expect.any(String));
        for (const [name, trap] of outcomes) if (!traps.includes(name)) expect(trap, `${name} trapped`).toBeNull();
      }
    }
  });
});

describe("Node TypeScript blocks", () => {
  const nodeModules: [Joined, NodeModule][] = typeScript.map((module) => [
    module,
    { name: module.name, source: module.source, wasmPaths: wasmPaths(module.source) },
  ]);
  let diagnostics = new Map<string, string[]>();
  beforeAll(() => {
    diagnostics = typeCheck(nodeModules.map(([, module]) => module));
  }, 120_000);

  it.each(nodeModules.map(([joined, module]) => [label(joined), module] as const))("%s type-checks", (_, module) => {
    expect(diagnostics.get(module.name)).toEqual([]);
  });

  const runnable = nodeModules.filter(([joined]) => joined.blocks[0]!.words.includes("run"));
  it.each(runnable.map(([joined, module]) => [label(joined), module] as const))("%s runs", async (_, module) => {
    const tests = await runModule(module);
    if (module.source.includes('from "vitest"'))
      expect(tests, "a documented test file declares tests").toBeGreaterThan(0);
  });
});

function wasmPaths(source: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const m of source.matchAll(/"(build\/[a-z0-9-]+\.wasm)"/g)) paths.set(m[1]!, wasmFor(m[1]!));
  return paths;
}

/** Configuration schemas the docs give their filters (`json schema=NAME`), by filter name. */
const docSchemas = new Map(
  byKind("json")
    .filter((block) => block.attributes.has("schema"))
    .map((block) => [block.attributes.get("schema")!, JSON.parse(block.code) as object]),
);

describe("JSON blocks", () => {
  it.each(byKind("json").map((block) => [where(block), block] as const))("%s", async (_, block) => {
    const { value, fragment } = parseJsonSnippet(block.code);
    const filter = block.attributes.get("config") ?? /^filters\/([a-z0-9-]+)\/README\.md$/.exec(block.file)?.[1];
    if (block.attributes.has("schema")) {
      // A schema compiles, and a configuration it rejects proves it checks something.
      expect(schemaProblems(value as object, 0).length).toBeGreaterThan(0);
    } else if (block.words.includes("scenario")) {
      const module = scenarioModule(value);
      expect(module, "a scenario block names its module").not.toBeNull();
      expect(await scenarioProblems(value, wasmFor(module!))).toEqual([]);
    } else if (filter !== undefined && !fragment) {
      const schema = docSchemas.get(filter);
      expect(await configProblems(filter, wasmFor(`build/${filter}.wasm`), value, schema)).toEqual([]);
    }
  });
});

describe("YAML blocks", () => {
  it.each(byKind("yaml").map((block) => [where(block), block] as const))("%s", (_, block) => {
    expect(yamlProblems(block.code, (path) => existsSync(path) || isFilterOutput(path))).toEqual([]);
  });
});

/** True for build/NAME.wasm when filters/NAME/ exists: `npm run build` makes it. */
function isFilterOutput(path: string): boolean {
  const name = /^build\/([a-z0-9-]+)\.wasm$/.exec(path)?.[1];
  return name !== undefined && (docFilters.has(name) || existsSync(`filters/${name}/index.ts`));
}

describe("shell blocks", () => {
  const cli = readCli();
  it.each(byKind("shell").map((block) => [where(block), block] as const))("%s", (_, block) => {
    const lines = commandLines(block.lang, block.code);
    expect(lines.flatMap((line) => commandProblems(line, cli))).toEqual([]);
  });
});
