// Timer and root-context cases from the timers fixture: ticks on the main thread and the worker
// (never the canary), the clock, proxy_done outside shutdown, effective contexts, foreign functions.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const timers: FidelitySetup = {
  name: "timers",
  wasm: "build/fixtures/timers.wasm",
  configuration: JSON.stringify({ tick_ms: 100, stop_after: 3 }),
  clockMs: 1000,
};

const timer = (name: string, action: string): FidelityCase => ({ name, headers: [["x-timer", action]] });

export const timersCases: FidelityCase[] = [
  timer("reads the clock from a stream", "now"),
  timer("answers proxy_done from a stream context", "done"),
  timer("sets the effective context to the stream's own root", "effective:1"),
  timer("refuses an effective context that does not exist", "effective:999"),
  timer("compresses and uncompresses through Envoy's foreign functions", "compress:hello hello hello"),
  timer("calls an unknown foreign function", "call:no_such_function"),
  timer("passes a request with no timer action", ""),
];
