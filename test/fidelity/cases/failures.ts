// Failure cases: a trap in on_request_headers under FAIL_CLOSED (503 wasm_fail_stream, and the
// VM stays failed for later requests) and under FAIL_OPEN (the filter is skipped).

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const trapClosed: FidelitySetup = {
  name: "trap-closed",
  wasm: "build/fixtures/probe.wasm",
  rootId: "probe",
  configuration: "{}",
  failurePolicy: "FAIL_CLOSED",
};

export const trapOpen: FidelitySetup = { ...trapClosed, name: "trap-open", failurePolicy: "FAIL_OPEN" };

export const trapCases: FidelityCase[] = [
  { name: "serves a request before the trap" },
  { name: "traps in on_request_headers", headers: [["x-probe", "trap"]] },
  { name: "serves the next request after the trap" },
];
