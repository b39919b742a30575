// The demo chain (envoy-configs/demo.yaml: telemetry, jwt-authn, abac-authz, header-rewrite) per
// request through the harness's FilterChain, with a token jwt-authn has verified before (its cache
// answers), against a chain of four SDK pass-through modules. The remote JWKS is fetched once
// before timing; the clock moves one second (a collector flush) every 100 requests.

import { join } from "node:path";
import { type FilterChain } from "../../harness/index.js";
import { type Case, pairedCase, pairedNanoseconds } from "../case.js";
import { buildPassThrough } from "../fixture-modules.js";
import { DEMO_FILTERS, demoConfiguration, loadChain, sendDemoRequest, tick, warmUp } from "../demo-chain.js";

const REQUESTS = 2_000;
const REQUESTS_PER_TICK = 100;

// One demo request through `chain` (which must pass), with a timer tick every REQUESTS_PER_TICK.
function requests(chain: FilterChain): () => void {
  let sent = 0;
  return () => {
    const stream = sendDemoRequest(chain);
    if (!stream.completed || stream.localReply) throw new Error("a demo request did not pass");
    if (++sent % REQUESTS_PER_TICK === 0) tick(chain);
  };
}

export default async function demo(): Promise<Case[]> {
  const passThrough = await buildPassThrough();
  const baseline = requests(
    await loadChain(
      DEMO_FILTERS,
      () => passThrough,
      () => "{}",
    ),
  );
  const chain = await loadChain(DEMO_FILTERS, (filter) => join("build", `${filter}.wasm`), demoConfiguration);
  warmUp(chain);
  return [pairedCase("filter.demo.cached", "ns/request", pairedNanoseconds(requests(chain), baseline, REQUESTS))];
}
