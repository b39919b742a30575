// CEL evaluation per request: ours (compiled once, evaluated inside the module against bindings it
// keeps, as a filter evaluates a configured condition) against @bufbuild/cel's planned evaluator on
// the same expressions and the same data, planned once too.

import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { celEnv, parse, plan } from "@bufbuild/cel";
import { type Case, nanosecondsPerIteration, ratioCase } from "../case.js";
import { type CelData, type CelLibrary, encodeBindings } from "../../test/expr/cel-support.js";

const ITERATIONS = 50_000;
const BUILD = join("build", "bench");
const ASC = join("node_modules", "assemblyscript", "bin", "asc.js");

async function buildCel(): Promise<CelLibrary> {
  mkdirSync(BUILD, { recursive: true });
  const wasm = join(BUILD, "cel.wasm");
  const config = join("test", "crypto", "asconfig.json");
  const entry = join("test", "expr", "entries", "cel.ts");
  await promisify(execFile)(process.execPath, [ASC, entry, "--config", config, "--outFile", wasm]);
  return (await import(pathToFileURL(resolve(wasm.replace(/\.wasm$/, ".js"))).href)) as CelLibrary;
}

const str = (v: string): CelData => ({ k: "string", v });
const int = (v: bigint): CelData => ({ k: "int", v });
const map = (entries: [string, CelData][]): CelData => ({ k: "map", v: entries.map(([k, v]) => [str(k), v]) });
const list = (items: CelData[]): CelData => ({ k: "list", v: items });

const HEADERS: [string, string][] = [
  [":authority", "api.example.com"],
  [":method", "GET"],
  [":path", "/api/v1/items?page=2"],
  ["user-agent", "curl/8.5.0"],
  ["accept", "*/*"],
  ["x-tenant", "acme"],
  ["x-request-id", "6f1c2a4e-9a0b-4b8e-8d8e-2f1a3c4d5e6f"],
];
const PRINCIPALS = ["default", "frontend", "billing", "search", "batch", "ingress", "admin", "api"].map(
  (name) => `cluster.local/ns/prod/sa/${name}`,
);

// The same data for both evaluators: ours as tagged text, @bufbuild/cel's as native JS values.
const OURS: Record<string, CelData> = {
  request: map([
    ["headers", map(HEADERS.map(([k, v]) => [k, str(v)]))],
    ["path", str("/api/v1/items")],
    ["method", str("GET")],
  ]),
  source: map([["principals", list(PRINCIPALS.map(str))]]),
  jwt: map([
    [
      "claims",
      map([
        ["iss", str("https://issuer.example")],
        ["sub", str("user-1234")],
        ["scopes", list(["read", "write", "admin"].map(str))],
        ["exp", int(1_900_000_000n)],
      ]),
    ],
  ]),
};
const THEIRS = {
  request: new Map<string, unknown>([
    ["headers", new Map(HEADERS)],
    ["path", "/api/v1/items"],
    ["method", "GET"],
  ]),
  source: new Map([["principals", PRINCIPALS]]),
  jwt: new Map([
    [
      "claims",
      new Map<string, unknown>([
        ["iss", "https://issuer.example"],
        ["sub", "user-1234"],
        ["scopes", ["read", "write", "admin"]],
        ["exp", 1_900_000_000n],
      ]),
    ],
  ]),
};

const EXPRESSIONS: [string, string][] = [
  ["authz-condition", "request.headers['x-tenant'] == 'acme' && request.path.startsWith('/api/')"],
  ["list-macro", "source.principals.exists(p, p.endsWith('/sa/api'))"],
  [
    "jwt-claims",
    "jwt.claims.iss == 'https://issuer.example' && 'read' in jwt.claims.scopes && jwt.claims.exp > 1700000000",
  ],
  ["arithmetic", "size(request.path) * 2 + 1 > 10 && request.method in ['GET', 'HEAD']"],
];

export default async function cel(): Promise<Case[]> {
  const ours = await buildCel();
  const bindings = encodeBindings(OURS);
  const cases: Case[] = [];
  for (const [name, expr] of EXPRESSIONS) {
    const error = ours.prepare(expr, bindings);
    if (error !== "") throw new Error(`${expr}: ${error}`);
    if (ours.runPrepared(1) !== 1) throw new Error(`${expr} is not true in our evaluator`);
    const theirs = plan(celEnv(), parse(expr));
    if (theirs(THEIRS as never) !== true) throw new Error(`${expr} is not true in @bufbuild/cel`);
    const baseline = nanosecondsPerIteration(() => theirs(THEIRS as never), ITERATIONS);
    const value = nanosecondsPerIteration(() => ours.runPrepared(ITERATIONS), 1) / ITERATIONS;
    cases.push(ratioCase(`cel.eval.${name}`, "ns/eval", value, baseline));
  }
  return cases;
}
