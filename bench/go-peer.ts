// The Go SDK peer of issue 14: bench/peers/go-header-rewrite/, a filter written with the proxy-wasm Go
// SDK doing header-rewrite's basic header rules (the static `request_headers` and `response_headers`
// of envoy-configs/header-rewrite.yaml), and the header-rewrite configuration that does the same.

import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const PEER_DIRECTORY = fileURLToPath(new URL("peers/go-header-rewrite/", import.meta.url));

/** The committed Go module, as an absolute path (the benchmarks measure this file). */
export const GO_PEER_WASM = `${PEER_DIRECTORY}go-header-rewrite.wasm`;

/** header-rewrite's configuration doing exactly what the Go peer's main.go hard-codes, as JSON. */
export const GO_PEER_CONFIGURATION = JSON.stringify({
  request_headers: [
    { set: { name: "x-tenant", value: "acme" } },
    { add: { name: "x-trace-tag", value: "edge" } },
    { remove: "x-internal-debug" },
  ],
  response_headers: [
    { set: { name: "x-served-by", value: "envoy-as" } },
    { add: { name: "cache-control", value: "no-store" } },
    { remove: "x-upstream-secret" },
  ],
});

/** Options of {@link buildGoPeer}. */
export interface GoPeerOptions {
  /** Run the peer's build.sh first (needs Go >= 1.24 on PATH); by default the committed module is used. */
  rebuild?: boolean;
}

/** The Go peer's module and header-rewrite's equivalent configuration, or why the peer is unavailable. */
export async function buildGoPeer(
  options: GoPeerOptions = {},
): Promise<{ wasm: string; configuration: string } | { skip: string }> {
  if (options.rebuild) {
    try {
      await promisify(execFile)(`${PEER_DIRECTORY}build.sh`);
    } catch (error) {
      return { skip: `go-header-rewrite: build.sh failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (!existsSync(GO_PEER_WASM)) return { skip: `go-header-rewrite: ${GO_PEER_WASM} is missing (run build.sh)` };
  return { wasm: GO_PEER_WASM, configuration: GO_PEER_CONFIGURATION };
}
