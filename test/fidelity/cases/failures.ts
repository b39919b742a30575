// Failure cases: a trap in on_request_headers under FAIL_CLOSED (503 wasm_fail_stream, and the
// VM stays failed for later requests), under FAIL_OPEN (the filter is skipped) and under
// FAIL_RELOAD (failed closed until the backoff passed, then a fresh instance serves).

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

// Envoy waits a jittered [1, 1.5) x base_interval from the handle's last load before reloading
// (PluginConfig::maybeReloadHandleIfNeeded); the harness waits base_interval. The cases stay clear
// of both ends: the trap and the next request come well within 3 s of the load, and the delayed
// request comes after 4.6 s.
export const trapReload: FidelitySetup = {
  ...trapClosed,
  name: "trap-reload",
  failurePolicy: "FAIL_RELOAD",
  reloadBackoffMs: 3000,
};

export const trapReloadCases: FidelityCase[] = [
  ...trapCases.slice(0, 2),
  { name: "fails closed while the reload backoff runs" },
  { name: "serves from a fresh instance once the backoff passed", delayMs: 4600 },
  { name: "keeps serving from the fresh instance" },
];
