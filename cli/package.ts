// `envoy-as package FILTER [--out DIR] [--version V] [--source URL]`: writes build/<FILTER>.wasm as a
// reproducible OCI image (layout in build/oci/<FILTER>/ by default) that Istio's WasmPlugin and Envoy
// Gateway can pull once pushed, and prints the two digests they ask for (distribution.md §2.5: the
// manifest digest for oci:// URLs, the module's sha256 for http(s):// URLs).

import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { digestOf, sha256Hex } from "./oci/digest.js";
import { LayoutError, writeLayout } from "./oci/layout.js";
import { CONFIG_SCHEMA_DIGEST_ANNOTATION, REF_NAME_ANNOTATION } from "./oci/media-types.js";
import { buildWasmImage } from "./oci/wasm-image.js";

/** How `package` is called. */
export const PACKAGE_USAGE = "package FILTER [--out DIR] [--version V] [--source URL]";

/** What to package and where. */
export interface PackageOptions {
  /** Project root holding package.json, filters/ and build/. */
  root: string;
  /** Filter name (a folder of filters/ with a config.schema.json). */
  filter: string;
  /** Layout directory, relative to `root`; default build/oci/<filter>. */
  out?: string;
  /** Image version and tag; default package.json's version. */
  version?: string;
  /** Source repository URL; default package.json's repository (or homepage). */
  source?: string;
}

/** What `packageFilter` wrote. */
export interface PackageResult {
  filter: string;
  version: string;
  /** Absolute path of the layout directory. */
  layout: string;
  /** The image (manifest) digest, "sha256:<hex>": WasmPlugin `sha256` for oci:// URLs. */
  manifestDigest: string;
  /** Hex sha256 of plugin.wasm: WasmPlugin `sha256` for http(s):// URLs. */
  wasmSha256: string;
  /** The manifest's annotations. */
  annotations: Record<string, string>;
}

/** A filter that cannot be packaged (unknown, not built, not Wasm) or a bad option value. */
export class PackageError extends Error {
  override name = "PackageError";
}

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);
const FILTER_NAME = /^[a-z0-9][a-z0-9._-]*$/;
// Tag grammar of opencontainers/distribution-spec (a version becomes the tag).
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

interface PackageJson {
  version?: string;
  license?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

/** A browsable URL from package.json's `repository` ("git+https://….git", "github:o/r", "o/r") or `homepage`. */
export function sourceUrl(pkg: PackageJson): string | null {
  const repository = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
  if (repository) {
    const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(repository);
    if (shorthand) return `https://github.com/${shorthand[1]!}`;
    return repository.replace(/^git\+/, "").replace(/\.git$/, "");
  }
  return pkg.homepage ?? null;
}

async function availableFilters(root: string): Promise<string[]> {
  const entries = await readdir(join(root, "filters"), { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(join(root, "filters", entry.name, "config.schema.json")))
    .map((entry) => entry.name)
    .sort();
}

async function readInputs(root: string, filter: string): Promise<{ wasm: Buffer; schema: Buffer }> {
  const available = await availableFilters(root);
  if (!FILTER_NAME.test(filter) || !available.includes(filter)) {
    throw new PackageError(`no such filter: ${filter} (filters/ has: ${available.join(", ") || "none"})`);
  }
  const wasmPath = join("build", `${filter}.wasm`);
  const wasm = await readFile(join(root, wasmPath)).catch(() => null);
  if (wasm === null) throw new PackageError(`${wasmPath} not found: run \`envoy-as build ${filter}\` first`);
  if (!wasm.subarray(0, 4).equals(WASM_MAGIC)) throw new PackageError(`${wasmPath} is not a Wasm module`);
  const schema = await readFile(join(root, "filters", filter, "config.schema.json"));
  return { wasm, schema };
}

/** Packages build/<filter>.wasm into an OCI image layout; throws PackageError for an unknown, unbuilt or invalid filter. */
export async function packageFilter(options: PackageOptions): Promise<PackageResult> {
  const { root, filter } = options;
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as PackageJson;
  const version = options.version ?? pkg.version ?? "";
  if (!TAG.test(version))
    throw new PackageError(`version "${version}" is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9._-]{0,127})`);
  const { wasm, schema } = await readInputs(root, filter);
  const source = options.source ?? sourceUrl(pkg);
  const annotations: Record<string, string> = {
    "org.opencontainers.image.title": filter,
    "org.opencontainers.image.version": version,
    ...(source ? { "org.opencontainers.image.source": source } : {}),
    ...(pkg.license ? { "org.opencontainers.image.licenses": pkg.license } : {}),
    [CONFIG_SCHEMA_DIGEST_ANNOTATION]: digestOf(schema),
  };
  const image = buildWasmImage(wasm, annotations);
  const layout = resolve(root, options.out ?? join("build", "oci", filter));
  await writeLayout(layout, image, version);
  return { filter, version, layout, manifestDigest: image.digest, wasmSha256: sha256Hex(wasm), annotations };
}

function parseArgs(args: string[]): Omit<PackageOptions, "root"> | string {
  let filter: string | null = null;
  const options: Omit<PackageOptions, "root" | "filter"> = {};
  const flags = { "--out": "out", "--version": "version", "--source": "source" } as const;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith("--") ? (arg.split(/=(.*)/s, 2) as [string, string?]) : [arg];
    if (flag in flags) {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") return `${flag} needs a value`;
      options[flags[flag as keyof typeof flags]] = value;
    } else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else if (filter === null) filter = arg;
    else return `unexpected argument ${arg}`;
  }
  return filter === null ? "FILTER is required" : { filter, ...options };
}

function shown(root: string, path: string): string {
  const inside = relative(root, path);
  return inside === "" || inside.startsWith("..") || isAbsolute(inside) ? path : inside;
}

/** Runs the `package` command with `args` (after the command name) from `root`; returns the exit code. */
export async function packageCommand(
  args: string[],
  { root, out, err }: { root: string; out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === "string") {
    err(`envoy-as package: ${parsed}\nusage: envoy-as ${PACKAGE_USAGE}`);
    return 2;
  }
  try {
    const result = await packageFilter({ root, ...parsed });
    const hex = result.manifestDigest.slice("sha256:".length);
    out(`packaged ${result.filter} ${result.version} as an OCI image layout: ${shown(root, result.layout)}`);
    out(`  tag (${REF_NAME_ANNOTATION}): ${result.version}`);
    out(`  image digest:        ${result.manifestDigest}`);
    out(`    oci:// URLs: WasmPlugin sha256 / Envoy Gateway code.image.sha256 = ${hex}`);
    out(`  plugin.wasm sha256:  ${result.wasmSha256}`);
    out(`    http(s):// URLs: WasmPlugin sha256 / Envoy Gateway code.http.sha256 / Envoy remote code sha256`);
    if (!result.annotations["org.opencontainers.image.source"]) {
      err(
        "envoy-as package: note: no org.opencontainers.image.source (pass --source URL or set package.json repository)",
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof PackageError || error instanceof LayoutError) {
      err(`envoy-as package: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
