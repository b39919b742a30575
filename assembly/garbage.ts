// The minimal runtime (`--runtime minimal`) has no shadow stack and collects only when asked, so
// the dispatcher asks once a callback is over, when no raw pointer into managed memory is live.
// The incremental runtime (the default) collects by itself: there this compiles to nothing.

import { Runtime } from "shared/runtime";

/**
 * Runs a full collection when the module is built with the minimal runtime; call it only at the end
 * of a top-level callback (never from the allocator, never while a raw pointer is held).
 */
export function collectAtCallbackEnd(): void {
  if (ASC_RUNTIME == Runtime.Minimal) __collect();
}
