// header-rewrite against its Go SDK peer (bench/go-peer.ts), the same header rules in both: the
// release module's size against the Go module's (issue 14: ours >= 10x smaller), and nanoseconds
// per request through the harness, same request and response, ours against Go's (informative).

import { statSync } from "node:fs";
import { join } from "node:path";
import { type Case, pairedCase, pairedNanoseconds, ratioCase } from "../case.js";
import { exchangeThrough } from "../exchange.js";
import { buildGoPeer } from "../go-peer.js";

const REQUESTS = 5_000;

export default async function peer(): Promise<Case[]> {
  const go = await buildGoPeer();
  if ("skip" in go) {
    console.error(`peer: skipped: ${go.skip}`);
    return [];
  }
  const ours = join("build", "header-rewrite.wasm");
  const perRequest = pairedNanoseconds(
    await exchangeThrough(ours, { rootId: "header-rewrite", configuration: go.configuration }),
    await exchangeThrough(go.wasm, {}),
    REQUESTS,
  );
  return [
    ratioCase("peer.go.size", "bytes", statSync(ours).size, statSync(go.wasm).size),
    pairedCase("peer.go.harness", "ns/request", perRequest),
  ];
}
