// `envoy-as validate CONFIG [--offline]`: Envoy's own `--mode validate` when Envoy is found, else a
// check of the bootstrap against Envoy's API protos (bootstrap-checks.ts). Both ways it also checks
// that every Wasm file exists (relative to the current directory, as Envoy opens it) and that every
// cluster a route or one of our filters' JSON configurations names is a static cluster.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { checkBootstrapSchema } from "./bootstrap-checks.js";
import { findEnvoy } from "./envoy.js";
import { holdsKubernetesResources, RESOURCE_CHECK, validateResourcesText } from "./k8s/validate-resource.js";

/** How `validate` is called. */
export const VALIDATE_USAGE = "validate CONFIG [--offline]";

/** A way to run Envoy's `--mode validate`: its description and the run itself. */
export interface EnvoyValidator {
  /** How the verdict was reached, e.g. "Envoy 1.40.0 --mode validate, /usr/bin/envoy". */
  how: string;
  /** Runs Envoy on `configPath` from `cwd`; `ok` is Envoy's verdict, `error` its error line. */
  run(configPath: string, cwd: string): { ok: boolean; error: string };
}

/** What `validateConfig` found: problems (empty when the file is fine) and how it checked. */
export interface Verdict {
  /** One line per problem. */
  problems: string[];
  /** How the configuration was checked. */
  how: string;
}

const WASM_TYPES = [
  "envoy.extensions.filters.http.wasm.v3.Wasm",
  "envoy.extensions.filters.network.wasm.v3.Wasm",
  "envoy.extensions.wasm.v3.WasmService",
];

/** The line of Envoy's output that says why it refused a configuration. */
export function envoyErrorLine(output: string): string {
  const lines = output.split("\n").map((line) => line.trim());
  const critical = lines.filter((line) => /\[(critical|error)\]/.test(line));
  const line = critical.find((text) => /configuration/.test(text)) ?? critical[0] ?? lines.filter(Boolean).at(-1);
  // Drop the log prefix ("[time][thread][critical][main] [file:line] "), Envoy's padding, and the
  // JSON rendering of the whole bootstrap that follows a parse error.
  return (line ?? "Envoy refused the configuration")
    .replace(/^(\[[^\]]*\]\s*)+/, "")
    .replace(/\):\s*\{".*$/, ")")
    .replace(/\s+/g, " ");
}

/** Finds a working Envoy as `envoy-as envoy` does (func-e, then $ENVOY_BIN, then `envoy` on PATH); null when none answers. */
export function findEnvoyValidator(): EnvoyValidator | null {
  const envoy = findEnvoy();
  return envoy ? envoyValidator(envoy.command, envoy.prefix, envoy.version) : null;
}

function envoyValidator(command: string, prefix: string[], version: string): EnvoyValidator {
  return {
    how: `Envoy ${version} --mode validate, ${[command, ...prefix].join(" ")}`,
    run(configPath, cwd) {
      const args = [...prefix, "--mode", "validate", "-c", configPath, "--use-dynamic-base-id"];
      try {
        execFileSync(command, args, { cwd, encoding: "utf8", timeout: 120_000, stdio: "pipe" });
        return { ok: true, error: "" };
      } catch (error) {
        const failure = error as { stdout?: string; stderr?: string; message?: string };
        const output = `${failure.stdout ?? ""}${failure.stderr ?? ""}` || (failure.message ?? "");
        return { ok: false, error: envoyErrorLine(output) };
      }
    },
  };
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A field by its proto name or its lowerCamelCase JSON name. */
function get(node: unknown, name: string): unknown {
  if (!isNode(node)) return undefined;
  return node[name] ?? node[name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase())];
}

/** Calls `visit` on every object in `value` with its path. */
function walk(value: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`, visit));
  else if (isNode(value)) {
    visit(value, path);
    for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key, visit);
  }
}

/** Every `"cluster": "<name>"` anywhere in a plugin's JSON configuration, with its JSON path. */
function pluginClusters(json: unknown, path: string, found: [string, string][]): void {
  walk(json, path, (node, nodePath) => {
    if (typeof node["cluster"] === "string") found.push([node["cluster"], `${nodePath}.cluster`]);
  });
}

/** Checks what Envoy's protos cannot: Wasm files on disk and clusters named but never defined. */
export function checkReferences(bootstrap: unknown, cwd: string): string[] {
  const problems: string[] = [];
  const staticResources = get(bootstrap, "static_resources");
  const clusters = get(staticResources, "clusters");
  const defined = new Set(Array.isArray(clusters) ? clusters.map((cluster) => get(cluster, "name")) : []);
  // With CDS, clusters arrive at run time, so an unknown name may well be defined later.
  const dynamic = get(get(bootstrap, "dynamic_resources"), "cds_config") !== undefined;
  const named: [string, string][] = [];
  walk(bootstrap, "", (node, path) => {
    const route = get(node, "route");
    if (typeof get(route, "cluster") === "string")
      named.push([get(route, "cluster") as string, `${path}.route.cluster`]);
    const weighted = get(get(route, "weighted_clusters"), "clusters");
    if (Array.isArray(weighted))
      weighted.forEach((entry, index) => {
        const name = get(entry, "name");
        if (typeof name === "string") named.push([name, `${path}.route.weighted_clusters.clusters[${index}].name`]);
      });
    const typeUrl = node["@type"];
    if (typeof typeUrl !== "string" || !WASM_TYPES.some((type) => typeUrl.endsWith(`/${type}`))) return;
    const config = get(node, "config");
    const filename = get(get(get(get(config, "vm_config"), "code"), "local"), "filename");
    const filePath = `${path}.config.vm_config.code.local.filename`;
    if (typeof filename === "string" && !existsSync(resolve(cwd, filename)))
      problems.push(`${filePath}: Wasm file "${filename}" does not exist (relative to ${cwd})`);
    const configuration = get(config, "configuration");
    const text = get(configuration, "value");
    if (!String(get(configuration, "@type")).endsWith("/google.protobuf.StringValue") || typeof text !== "string")
      return;
    try {
      pluginClusters(JSON.parse(text), `${path}.config.configuration.value`, named);
    } catch {
      // A plugin may take configuration that is not JSON; it then names no clusters we can see.
    }
  });
  if (!dynamic)
    for (const [name, path] of named)
      if (!defined.has(name)) problems.push(`${path}: cluster "${name}" is not defined in static_resources.clusters`);
  return problems;
}

/** Validates one bootstrap file: with `envoy` when given, else offline against Envoy's protos. */
export function validateConfig(configPath: string, envoy: EnvoyValidator | null, cwd = process.cwd()): Verdict {
  let bootstrap: unknown;
  try {
    const text = readFileSync(resolve(cwd, configPath), "utf8");
    // Istio and Envoy Gateway resources (WasmPlugin, ...) are checked against their own schemas.
    if (holdsKubernetesResources(text)) return { problems: validateResourcesText(text, cwd), how: RESOURCE_CHECK };
    bootstrap = parse(text);
  } catch (error) {
    return { problems: [error instanceof Error ? error.message : String(error)], how: "reading the file" };
  }
  const references = checkReferences(bootstrap, cwd);
  if (envoy) {
    const verdict = envoy.run(configPath, cwd);
    return { problems: [...(verdict.ok ? [] : [`envoy: ${verdict.error}`]), ...references], how: envoy.how };
  }
  const schema = checkBootstrapSchema(bootstrap);
  return { problems: [...schema, ...references], how: "offline, against Envoy's API protos" };
}

interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs `envoy-as validate` with `args`; returns the exit code (0 valid, 1 problems, 2 bad usage). */
export function validateCommand(args: string[], io: Output, findEnvoy = findEnvoyValidator): number {
  const offline = args.includes("--offline");
  const files = args.filter((arg) => arg !== "--offline");
  const unknown = files.find((arg) => arg.startsWith("-"));
  if (unknown || files.length !== 1) {
    io.err(
      `envoy-as validate: ${unknown ? `unknown option ${unknown}` : "needs one CONFIG file"}\nusage: envoy-as ${VALIDATE_USAGE}`,
    );
    return 2;
  }
  const config = files[0]!;
  const envoy = offline ? null : findEnvoy();
  const verdict = validateConfig(config, envoy);
  if (verdict.problems.length === 0) {
    const note = offline || envoy || verdict.how === RESOURCE_CHECK ? "" : "; no working Envoy found";
    io.out(`envoy-as validate: ${config} OK (${verdict.how}${note})`);
    return 0;
  }
  for (const problem of verdict.problems) io.err(`${config}: ${problem}`);
  return 1;
}
