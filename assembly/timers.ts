// Time and the tick timer (reference abi.md 3.1, 6.5).

import * as host from "./abi/hostcalls";
import * as state from "./abi/state-hostcalls";
import { Status } from "./types";

/**
 * Calls the root's onTick every `periodMs` milliseconds (0 stops it); from a stream context it
 * sets the timer of the stream's root. Changing the period restarts the timer.
 */
export function setTickPeriod(periodMs: u32): Status {
  return state.setTickPeriodMilliseconds(periodMs);
}

/** Returns the host's wall clock in nanoseconds since the Unix epoch. */
export function currentTimeNanoseconds(): u64 {
  return host.getCurrentTimeNanoseconds();
}

/** Returns the host's wall clock in milliseconds since the Unix epoch. */
export function currentTimeMilliseconds(): u64 {
  return host.getCurrentTimeNanoseconds() / 1_000_000;
}
