// The minimal runtime (`--runtime minimal`, the release builds) has no shadow stack and collects
// only when asked, so the dispatcher offers a collection once a callback is over, when no raw
// pointer into managed memory is live. A full collection marks every live object, so it runs on
// every COLLECT_EVERY-th offer, or at once when linear memory grew since the last one (garbage
// then outgrew the free space): at most that many callbacks' garbage is ever held.
// The incremental runtime (the debug builds) collects by itself: there this compiles to nothing.

import { Runtime } from "shared/runtime";

// Offers per collection: amortizes the marking of long-lived state (configuration, caches). 16
// measured fastest on the telemetry demo (64 held a larger heap, which cost more than it saved).
const COLLECT_EVERY: u32 = 16;

let offers: u32 = 0;
let pagesAtLastCollection: i32 = 0;

/**
 * Offers a collection when the module is built with the minimal runtime; call it only at the end
 * of a top-level callback (never from the allocator, never while a raw pointer is held).
 */
export function collectAtCallbackEnd(): void {
  if (ASC_RUNTIME != Runtime.Minimal) return;
  offers++;
  if (offers % COLLECT_EVERY != 0 && memory.size() == pagesAtLastCollection) return;
  __collect();
  pagesAtLastCollection = memory.size();
}
