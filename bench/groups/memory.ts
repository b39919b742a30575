// Linear memory growth of each filter (performance.md G9): the pages its worker instance holds after
// 1,000,000 requests minus those after 1,000, each filter alone with its envoy-configs/demo.yaml
// configuration and the demo's request (abac-authz, which needs jwt-authn's claims on /api, gets
// the demo's public path). The figure is pages of growth, so its ratio is the growth itself.

import { join } from "node:path";
import { type FilterChain } from "../../harness/index.js";
import { type Case, ratioCase } from "../case.js";
import { DEMO_FILTERS, demoConfiguration, loadChain, sendDemoRequest, tick, warmUp } from "../demo-chain.js";

const WARM = 1_000;
const TOTAL = 1_000_000;
const REQUESTS_PER_TICK = 1_000;
const PAGE_BYTES = 65_536;
const PATHS: Record<string, string> = { "abac-authz": "/public/status" };

// Pages of linear memory of the chain's only plugin's worker instance.
function pages(chain: FilterChain): number {
  const environment = chain.plugins[0]!.environment;
  const worker = [...environment.instances.values()].find((vm) => vm.thread === "worker 0" && !vm.discarded);
  const memory = Object.values(worker!.instance.exports).find((e) => e instanceof WebAssembly.Memory);
  return (memory as WebAssembly.Memory).buffer.byteLength / PAGE_BYTES;
}

function sendUntil(chain: FilterChain, path: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const stream = sendDemoRequest(chain, path);
    if (!stream.completed || stream.localReply) throw new Error(`request ${i} on ${path} did not pass`);
    if ((i + 1) % REQUESTS_PER_TICK === 0) tick(chain);
  }
}

export default async function memory(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const filter of DEMO_FILTERS) {
    const path = PATHS[filter] ?? "/api/hello";
    const chain = await loadChain([filter], (name) => join("build", `${name}.wasm`), demoConfiguration);
    warmUp(chain, path);
    sendUntil(chain, path, 1, WARM);
    const warm = pages(chain);
    sendUntil(chain, path, WARM, TOTAL);
    cases.push(ratioCase(`memory.${filter}`, "pages grown", pages(chain) - warm, 1));
  }
  return cases;
}
