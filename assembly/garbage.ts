// The minimal runtime (`--runtime minimal`, the release builds) has no shadow stack and collects
// only when asked, so the dispatcher offers a collection once a callback is over, when no raw
// pointer into managed memory is live. A full collection marks every live object, and most of
// those belong to the configurations (rules, policies, templates), so collections are paced by
// configuration size: one every COLLECT_EVERY offers, plus one more offer per
// CONFIGURATION_BYTES_PER_OFFER bytes of the largest configuration seen, up to COLLECT_EVERY_MOST.
// A collection also runs at once when linear memory grew since the last one (garbage then outgrew
// the free space). The garbage held is thus bounded by a number of callbacks in proportion to the
// state a collection has to mark, as collectors that pace by heap size do.
// The incremental runtime (the debug builds) collects by itself: there this compiles to nothing.

import { Runtime } from "shared/runtime";

// Offers per collection with small configurations: 16 measured fastest on the telemetry demo (64
// held a larger heap, which cost more than it saved).
const COLLECT_EVERY: u32 = 16;
// Configuration bytes that add one offer between collections: a 10-rule header-rewrite
// configuration (4.4 KB of JSON) collects every 85th offer instead of every 16th, a 50-rule one
// every 256th. 64 measured 7% faster than 256 on requests the 50 rules do not touch.
const CONFIGURATION_BYTES_PER_OFFER: u32 = 64;
// The most offers between collections, however large the configuration (a megabyte of inline
// keys): bounds the garbage a collection can find.
const COLLECT_EVERY_MOST: u32 = 256;

let offersPerCollection: u32 = COLLECT_EVERY;
let offers: u32 = 0;
let pagesAtLastCollection: i32 = 0;

/**
 * Paces collections for a root context's configuration of `bytes` bytes; the largest
 * configuration the module has seen sets the pace.
 */
export function paceForConfiguration(bytes: u32): void {
  const pace = min(COLLECT_EVERY_MOST, COLLECT_EVERY + bytes / CONFIGURATION_BYTES_PER_OFFER);
  offersPerCollection = max(offersPerCollection, pace);
}

/**
 * Offers a collection when the module is built with the minimal runtime; call it only at the end
 * of a top-level callback (never from the allocator, never while a raw pointer is held).
 */
export function collectAtCallbackEnd(): void {
  if (ASC_RUNTIME != Runtime.Minimal) return;
  offers++;
  if (offers < offersPerCollection && memory.size() == pagesAtLastCollection) return;
  offers = 0;
  __collect();
  pagesAtLastCollection = memory.size();
}
