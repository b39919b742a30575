// The soak (issue 15): the demo chain of envoy-configs/demo.yaml in the harness (bench/demo-chain.ts)
// serves a mix of allowed, unauthenticated, forbidden and public requests, each checked against its
// documented answer, while each filter's linear memory (its worker instance) is sampled. The
// benchmark budget allows at most 2 pages of growth from request 1,000 to the end (bench/budget.json).

import { join } from "node:path";
import { type ChainedHttpStream, type FilterChain } from "../../harness/index.js";
import { DEMO_FILTERS, answerCallouts, demoConfiguration, loadChain, warmUp } from "../../bench/demo-chain.js";
import { demoRequest, demoToken } from "./demo-traffic.js";

/** Pages a filter may grow between the first sample (request 1,000) and the end. */
export const GROWTH_BUDGET_PAGES = 2;

const PAGE_BYTES = 65_536;
const WARM_REQUESTS = 1_000;
// 500 requests per simulated second: the collector queue (max_queue 1,000) never overflows.
const REQUESTS_PER_TICK = 500;

/** One kind of request in the mix and the answer envoy-configs/demo.yaml documents for it. */
export interface RequestKind {
  name: string;
  path: string;
  token: string | null;
  /** 200 when the request must reach the upstream, else the local reply's status. */
  status: number;
  /** The local reply's body, for denials. */
  body?: string;
}

const viewer = demoToken("bob", "viewer");

/** The request mix, sent in turn: jwt-authn's 401 without a token, abac-authz's 403 for a viewer on an admin path. */
export const REQUEST_MIX: RequestKind[] = [
  { name: "allowed", path: "/api/hello", token: viewer, status: 200 },
  { name: "no token", path: "/api/hello", token: null, status: 401, body: "Jwt is missing" },
  { name: "forbidden", path: "/api/admin/users", token: viewer, status: 403, body: "RBAC: access denied" },
  { name: "public", path: "/public/status", token: null, status: 200 },
];

/** Linear memory of every filter after `requests` requests. */
export interface MemorySample {
  requests: number;
  /** Pages per filter, in chain order. */
  pages: Record<string, number>;
  elapsedMs: number;
}

/** What a soak run saw. */
export interface SoakReport {
  requests: number;
  samples: MemorySample[];
  /** Requests per kind. */
  counts: Record<string, number>;
  /** The first few requests whose answer was not the documented one (at most 10 kept). */
  unexpected: string[];
  unexpectedCount: number;
  /** Trap messages of the chain's filters, if any died. */
  traps: string[];
  /** Pages each filter grew from the first sample to the last. */
  growth: Record<string, number>;
  /** Access-log lines the telemetry filter shipped to and dropped before the collector. */
  linesShipped: bigint;
  linesDropped: bigint;
}

/** Options of a soak run: how many requests, and how often memory is sampled after the first 1,000. */
export interface SoakOptions {
  requests: number;
  sampleEvery: number;
  /** Called with each sample as it is taken. */
  onSample?: (sample: MemorySample) => void;
}

/** Runs the soak on the release builds in build/ and reports memory samples and every deviation. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const chain = await loadChain(DEMO_FILTERS, (name) => join("build", `${name}.wasm`), demoConfiguration);
  const started = Date.now();
  warmUp(chain);
  const report: SoakReport = {
    requests: options.requests,
    samples: [],
    counts: Object.fromEntries(REQUEST_MIX.map((k) => [k.name, 0])),
    unexpected: [],
    unexpectedCount: 0,
    traps: [],
    growth: {},
    linesShipped: 0n,
    linesDropped: 0n,
  };
  const sample = (requests: number) => {
    const taken = { requests, pages: pagesPerFilter(chain), elapsedMs: Date.now() - started };
    report.samples.push(taken);
    options.onSample?.(taken);
  };
  for (let i = 1; i <= options.requests; i++) {
    const kind = REQUEST_MIX[i % REQUEST_MIX.length]!;
    report.counts[kind.name]!++;
    const problem = deviation(demoRequest(chain, kind.path, kind.token), kind);
    if (problem !== null) {
      report.unexpectedCount++;
      if (report.unexpected.length < 10) report.unexpected.push(`request ${i} (${kind.name}): ${problem}`);
    }
    if (i % REQUESTS_PER_TICK === 0) tickAndDrain(chain);
    if (i === WARM_REQUESTS || (i > WARM_REQUESTS && i % options.sampleEvery === 0) || i === options.requests) {
      if (report.samples.at(-1)?.requests !== i) sample(i);
    }
  }
  tickAndDrain(chain);
  report.traps = chain.plugins.flatMap((p) => (p.trap ? [`${p.spec.name}: ${p.trap.message}`] : []));
  const first = report.samples[0]!.pages;
  const last = report.samples.at(-1)!.pages;
  report.growth = Object.fromEntries(DEMO_FILTERS.map((f) => [f, last[f]! - first[f]!]));
  const metrics = chain.plugins[0]!.environment.metrics;
  report.linesShipped = metrics.counter("telemetry_access_log_lines_shipped") ?? 0n;
  report.linesDropped = metrics.counter("telemetry_access_log_lines_dropped") ?? 0n;
  return report;
}

/** The reasons a run fails the acceptance: traps, unexpected answers, dropped log lines, growth over the budget. */
export function failures(report: SoakReport): string[] {
  const out = report.traps.map((t) => `trap: ${t}`);
  if (report.unexpectedCount > 0)
    out.push(`${report.unexpectedCount} unexpected answers, e.g. ${report.unexpected[0]}`);
  if (report.linesDropped > 0n) out.push(`${report.linesDropped} access-log lines dropped`);
  for (const [filter, pages] of Object.entries(report.growth)) {
    if (pages > GROWTH_BUDGET_PAGES) out.push(`${filter} grew ${pages} pages (budget ${GROWTH_BUDGET_PAGES})`);
  }
  return out;
}

/** The samples as a Markdown table: requests, pages per filter, seconds since the start. */
export function sampleTable(samples: MemorySample[]): string {
  const header = `| requests | ${DEMO_FILTERS.join(" | ")} | seconds |`;
  const rule = `| ${["---:", ...DEMO_FILTERS.map(() => "---:"), "---:"].join(" | ")} |`;
  const rows = samples.map(
    (s) =>
      `| ${s.requests.toLocaleString("en-US")} | ${DEMO_FILTERS.map((f) => s.pages[f]).join(" | ")} | ${(s.elapsedMs / 1000).toFixed(1)} |`,
  );
  return [header, rule, ...rows].join("\n");
}

// Why the stream's answer is not the documented one for `kind`, or null when it is.
function deviation(stream: ChainedHttpStream, kind: RequestKind): string | null {
  if (!stream.completed) return "the stream did not complete";
  const reply = stream.localReply;
  if (kind.status === 200) {
    if (reply) return `answered ${reply.status} ${reply.details}`;
    if (kind.token !== null && stream.upstreamRequest.headers!.get("x-tenant") !== "acme")
      return "no x-tenant upstream";
    return null;
  }
  if (!reply) return `reached the upstream instead of ${kind.status}`;
  const body = new TextDecoder().decode(reply.body);
  if (reply.status !== kind.status || body !== kind.body) return `answered ${reply.status} "${body}"`;
  return null;
}

// One second of the shared clock (ticks: telemetry's flush, jwt-authn's JWKS cache), then every
// callout answered until none is left: the JWKS from idp, 204 from the log collector.
function tickAndDrain(chain: FilterChain): void {
  chain.plugins[0]!.environment.clock.advance(1000);
  for (let round = 0; round < 1000 && chain.plugins.some((p) => p.httpCalls.length > 0); round++) answerCallouts(chain);
}

// Pages of the worker instance that runs each filter's root (each has its own vm_id, so its own instance).
function pagesPerFilter(chain: FilterChain): Record<string, number> {
  const pages: Record<string, number> = {};
  const instances = [...chain.plugins[0]!.environment.instances.values()];
  for (const plugin of chain.plugins) {
    const vm = instances.find(
      (v) =>
        v.thread === "worker 0" &&
        !v.discarded &&
        [...v.contexts.values()].some((c) => c.kind === "root" && c.plugin.rootId === plugin.spec.rootId),
    );
    const memory = Object.values(vm!.instance.exports).find((e) => e instanceof WebAssembly.Memory);
    pages[plugin.spec.name] = (memory as WebAssembly.Memory).buffer.byteLength / PAGE_BYTES;
  }
  return pages;
}
