// Shared data and queues across two workers, from the shared fixture: the CAS loop every
// instance runs at start, reads and writes from whichever worker serves a request, and queue
// notifications going to the root that registered the queue last.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const shared: FidelitySetup = {
  name: "shared",
  wasm: "build/fixtures/shared.wasm",
  configuration: "{}",
  workers: 2,
};

const act = (name: string, action: string): FidelityCase => ({ name, headers: [["x-shared", action]] });

export const sharedCases: FidelityCase[] = [
  act("reads the counter every instance incremented at start", "get:workers"),
  act("reads a missing key as absent", "get:missing"),
  act("writes a key without a cas", "set:colour=blue"),
  act("reads the key back from whichever worker serves", "get:colour"),
  act("rejects a stale cas", "cas:colour=red@1"),
  act("creates a missing key even with a non-zero cas (abi.md 11)", "cas:fresh=yes@42"),
  act("reads the key created with a cas", "get:fresh"),
  act("re-registers the queue from the serving worker", "register:events"),
  act("enqueues to the last registrant, which drains the queue", "enqueue:first"),
  act("resolves the queue by vm id", "resolve:shared"),
  act("resolves no queue under an unknown vm id", "resolve:elsewhere"),
  act("enqueues to a queue id that was never issued", "enqueue-stale"),
  act("dequeues from an empty queue", "dequeue:1"),
];
