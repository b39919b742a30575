// Regex matching per input: ours (inside the module, input kept there as a filter holds a header
// value) against re2js (RE2 ported to JavaScript) on the same pattern and input; the
// pathological patterns on 100 KB; and linearity: the cost per character on 100 KB over 10 KB.

import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { RE2JS } from "re2js";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";
import type { RegexLibrary } from "../../test/expr/regex-support.js";

const run = promisify(execFile);

async function buildRegexLibrary(): Promise<RegexLibrary> {
  const out = join("build", "bench", "regex.wasm");
  mkdirSync(join("build", "bench"), { recursive: true });
  const asc = join("node_modules", "assemblyscript", "bin", "asc.js");
  const entry = join("test", "expr", "entries", "regex.ts");
  await run(process.execPath, [asc, entry, "--config", join("test", "crypto", "asconfig.json"), "--outFile", out]);
  return (await import(pathToFileURL(resolve(out.replace(/\.wasm$/, ".js"))).href)) as RegexLibrary;
}

interface Scenario {
  name: string;
  pattern: string;
  input: string;
  mode: "test" | "full" | "exec";
  iterations: number;
}

const PATH = "/service/catalog/v2/items/12345/reviews?page=3&sort=recent";
const SCENARIOS: Scenario[] = [
  { name: "literal-10k", pattern: "needle", input: "hay ".repeat(2500) + "needle", mode: "test", iterations: 2000 },
  {
    name: "header-full",
    pattern: "^Mozilla/[0-9.]+ \\(.*\\)",
    input: "Mozilla/5.0 (X11; Linux x86_64)",
    mode: "full",
    iterations: 50_000,
  },
  { name: "path-captures", pattern: "^/service/([^/]+)(/.*)$", input: PATH, mode: "exec", iterations: 50_000 },
  {
    name: "spiffe-full",
    pattern: "spiffe://[^/]+/ns/(default|prod)/sa/.+",
    input: "spiffe://cluster.local/ns/prod/sa/api",
    mode: "full",
    iterations: 50_000,
  },
  {
    name: "case-insensitive",
    pattern: "(?i)bearer\\s+[a-z0-9._-]+",
    input: "BEARER eyJhbGciOi.eyJzdWIi.sig",
    mode: "test",
    iterations: 50_000,
  },
  {
    name: "header-1k-miss",
    pattern: "(?i)bearer\\s+[a-z0-9._-]+",
    input: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) ".repeat(14).slice(0, 1024),
    mode: "test",
    iterations: 20_000,
  },
  {
    name: "case-insensitive-full",
    pattern: "(?i)application/(json|grpc)(\\+proto)?",
    input: "Application/GRPC+proto",
    mode: "full",
    iterations: 50_000,
  },
  { name: "star-star-100k", pattern: "(a*)*b", input: "a".repeat(100_000), mode: "test", iterations: 10 },
  { name: "alt-star-100k", pattern: "(a|aa)*c", input: "a".repeat(100_000), mode: "test", iterations: 10 },
];

function ours(lib: RegexLibrary, scenario: Scenario): () => unknown {
  lib.compilePattern(scenario.pattern);
  lib.keepInput(scenario.input);
  if (scenario.mode === "test") return () => lib.testKept();
  if (scenario.mode === "full") return () => lib.fullMatchKept();
  return () => lib.execKept();
}

function theirs(scenario: Scenario): () => unknown {
  const pattern = RE2JS.compile(scenario.pattern);
  if (scenario.mode === "test") return () => pattern.matcher(scenario.input).find();
  if (scenario.mode === "full") return () => pattern.matches(scenario.input);
  return () => {
    const matcher = pattern.matcher(scenario.input);
    return matcher.find() ? matcher.end(matcher.groupCount()) : -2;
  };
}

export default async function regex(): Promise<Case[]> {
  const lib = await buildRegexLibrary();
  const cases: Case[] = [];
  for (const scenario of SCENARIOS) {
    const mine = ours(lib, scenario);
    const oracle = theirs(scenario);
    if (String(mine()) !== String(oracle())) throw new Error(`${scenario.name}: results differ`);
    const value = nanosecondsPerIteration(mine, scenario.iterations);
    const baseline = nanosecondsPerIteration(oracle, scenario.iterations);
    cases.push(ratioCase(`regex.match.${scenario.name}`, "ns/match", value, baseline));
  }
  for (const pattern of ["(a*)*b", "(a|aa)*c"]) {
    lib.compilePattern(pattern);
    // The input ends with the character the pattern requires, so the whole input goes through the VM.
    const last = pattern.endsWith("b") ? "b" : "c";
    const perCharacter = (length: number, iterations: number): number => {
      lib.keepInput("a".repeat(length - 1) + last);
      return nanosecondsPerIteration(() => lib.testKept(), iterations) / length;
    };
    const small = perCharacter(10_000, 50);
    const large = perCharacter(100_000, 5);
    const name = pattern === "(a*)*b" ? "star-star" : "alt-star";
    cases.push(ratioCase(`regex.match.linear.${name}`, "ps/char, 100 KB over 10 KB", large * 1000, small * 1000));
  }
  return cases;
}
