// Linear memory growth of each filter (performance.md G9): the pages its worker instance holds after
// 1,000,000 requests minus those after 1,000, each filter with its envoy-configs/demo.yaml
// configuration and the demo's request; abac-authz runs behind jwt-authn, whose verified claims its
// policies for /api read. The figure is pages of growth, so its ratio is the growth itself.

import { join } from "node:path";
import { type FilterChain } from "../../harness/index.js";
import { type Case, ratioCase } from "../case.js";
import { DEMO_FILTERS, demoConfiguration, loadChain, sendDemoRequest, tick, warmUp } from "../demo-chain.js";

const WARM = 1_000;
const TOTAL = 1_000_000;
const REQUESTS_PER_TICK = 1_000;
const PAGE_BYTES = 65_536;
// The filters a filter needs ahead of it in the chain.
const AHEAD: Record<string, string[]> = { "abac-authz": ["jwt-authn"] };

function sendUntil(chain: FilterChain, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const stream = sendDemoRequest(chain);
    if (!stream.completed || stream.localReply) throw new Error(`request ${i} did not pass`);
    if ((i + 1) % REQUESTS_PER_TICK === 0) tick(chain);
  }
}

export default async function memory(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const filter of DEMO_FILTERS) {
    const names = [...(AHEAD[filter] ?? []), filter];
    const chain = await loadChain(names, (name) => join("build", `${name}.wasm`), demoConfiguration);
    const plugin = chain.plugins.at(-1)!;
    warmUp(chain);
    sendUntil(chain, 1, WARM);
    const warm = plugin.memoryBytes();
    sendUntil(chain, WARM, TOTAL);
    cases.push(ratioCase(`memory.${filter}`, "pages grown", (plugin.memoryBytes() - warm) / PAGE_BYTES, 1));
  }
  return cases;
}
