// `envoy-as push FILTER REF`, `push --layout DIR REF` and `pull REF`: move OCI Wasm images between an
// image layout and a registry (cli/oci/transfer.ts), printing a line per blob and the two digests
// WasmPlugin's `sha256` can mean (distribution.md §2.5: manifest digest for oci://, module sha256 for
// http(s)://). Every failure is one line naming the step.

import { resolve } from "node:path";
import { findCredentials } from "./oci/auth.js";
import { LayoutError } from "./oci/layout.js";
import { formatReference, type ImageReference, parseReference } from "./oci/reference.js";
import { RegistryClient } from "./oci/registry.js";
import { RegistryError } from "./oci/registry-error.js";
import { pullImage, pushLayout, type TransferResult } from "./oci/transfer.js";
import { PackageError, packageFilter } from "./package.js";

/** How `push` is called. */
export const PUSH_USAGE = "push FILTER REF | push --layout DIR REF  [--insecure]";
/** How `pull` is called. */
export const PULL_USAGE = "pull REF (--out DIR | --wasm-out FILE) [--insecure]";

/** Where commands write, where they run, and what they may reach (tests replace env and fetch). */
export interface TransferIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Project root for `push FILTER` (build/, filters/, package.json). */
  root?: string;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
}

interface Parsed {
  positional: string[];
  options: Record<string, string>;
  insecure: boolean;
}

function parseArgs(args: string[], valued: string[]): Parsed | string {
  const parsed: Parsed = { positional: [], options: {}, insecure: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith("--") ? (arg.split(/=(.*)/s, 2) as [string, string?]) : [arg];
    if (flag === "--insecure" && inline === undefined) parsed.insecure = true;
    else if (valued.includes(flag)) {
      const value = inline ?? args[++i];
      if (value === undefined || value === "") return `${flag} needs a value`;
      parsed.options[flag] = value;
    } else if (arg.startsWith("-")) return `unknown option ${arg}`;
    else parsed.positional.push(arg);
  }
  return parsed;
}

function client(ref: ImageReference, parsed: Parsed, io: TransferIo, push: boolean): RegistryClient {
  const credentials = findCredentials(ref.registry, io.env ?? process.env);
  return new RegistryClient(ref, { insecure: parsed.insecure, credentials, push, fetch: io.fetch });
}

function printDigests(result: TransferResult, ref: ImageReference, out: (text: string) => void): void {
  const hex = result.manifestDigest.slice("sha256:".length);
  out(`  image digest:        ${result.manifestDigest}`);
  out(`    oci:// URLs: WasmPlugin sha256 / Envoy Gateway code.image.sha256 = ${hex}`);
  out(`    pinned: oci://${formatReference({ ...ref, tag: null, digest: result.manifestDigest })}`);
  if (result.wasmSha256 !== null) {
    out(`  plugin.wasm sha256:  ${result.wasmSha256}`);
    out(`    http(s):// URLs: WasmPlugin sha256 / Envoy Gateway code.http.sha256`);
  } else out("  plugin.wasm: none found in the image (no plugin.wasm in the last tar layer, no Wasm layer)");
}

// Runs `work`, turning the errors of registries, layouts and packaging into one line and exit code 1.
async function reported(command: string, err: (text: string) => void, work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    if (error instanceof RegistryError || error instanceof LayoutError || error instanceof PackageError) {
      err(`envoy-as ${command}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** Runs `push` with `args` (after the command name); returns the exit code. */
export async function pushCommand(args: string[], io: TransferIo): Promise<number> {
  const parsed = parseArgs(args, ["--layout"]);
  const layout = typeof parsed === "string" ? undefined : parsed.options["--layout"];
  const wanted = layout === undefined ? 2 : 1;
  if (typeof parsed === "string" || parsed.positional.length !== wanted) {
    const problem = typeof parsed === "string" ? parsed : `expected ${wanted === 2 ? "FILTER and REF" : "REF"}`;
    io.err(`envoy-as push: ${problem}\nusage: envoy-as ${PUSH_USAGE}`);
    return 2;
  }
  const ref = parseReference(parsed.positional[wanted - 1]!);
  if (typeof ref === "string") {
    io.err(`envoy-as push: ${ref}`);
    return 2;
  }
  return reported("push", io.err, async () => {
    let dir = layout === undefined ? "" : resolve(layout);
    if (layout === undefined) {
      const filter = parsed.positional[0]!;
      const packaged = await packageFilter({ root: io.root ?? process.cwd(), filter, version: ref.tag ?? undefined });
      dir = packaged.layout;
      io.out(`packaged ${filter} ${packaged.version} into ${dir}`);
    }
    const registry = client(ref, parsed, io, true);
    io.out(`pushing ${dir} to ${formatReference(ref)} (${registry.origin})`);
    const result = await pushLayout(dir, ref, registry, io.out);
    const pushed = formatReference(result.reference.startsWith("sha256:") ? ref : { ...ref, tag: result.reference });
    io.out(`pushed ${pushed}: ${result.transferred} sent, ${result.present} already present`);
    printDigests(result, ref, io.out);
  });
}

/** Runs `pull` with `args` (after the command name); returns the exit code. */
export async function pullCommand(args: string[], io: TransferIo): Promise<number> {
  const parsed = parseArgs(args, ["--out", "--wasm-out"]);
  const layoutDir = typeof parsed === "string" ? undefined : parsed.options["--out"];
  const wasmOut = typeof parsed === "string" ? undefined : parsed.options["--wasm-out"];
  if (typeof parsed === "string" || parsed.positional.length !== 1 || (layoutDir ?? wasmOut) === undefined) {
    const problem = typeof parsed === "string" ? parsed : "expected REF and --out DIR or --wasm-out FILE";
    io.err(`envoy-as pull: ${problem}\nusage: envoy-as ${PULL_USAGE}`);
    return 2;
  }
  const ref = parseReference(parsed.positional[0]!);
  if (typeof ref === "string") {
    io.err(`envoy-as pull: ${ref}`);
    return 2;
  }
  return reported("pull", io.err, async () => {
    const registry = client(ref, parsed, io, false);
    io.out(`pulling ${formatReference(ref)} (${registry.origin})`);
    const targets = { layoutDir: layoutDir ?? null, wasmOut: wasmOut ?? null };
    const result = await pullImage(ref, registry, targets, io.out);
    if (targets.layoutDir !== null) io.out(`wrote OCI image layout ${targets.layoutDir}`);
    if (targets.wasmOut !== null) io.out(`wrote ${targets.wasmOut}`);
    printDigests(result, ref, io.out);
  });
}
