// Which context the SDK is acting for: the context of the running callback, or the one a callout
// handler switched to. Callouts remember it so their answers can be routed back to it.

import * as host from "./abi/callout-hostcalls";
import { Status } from "./types";

let active: u32 = 0;

/** Records that a callback for `contextId` started; the dispatcher calls it on every entry. */
export function enterContext(contextId: u32): void {
  active = contextId;
}

/** Returns the id of the context host calls act on now: the running callback's, or the one switched to. */
export function currentContextId(): u32 {
  return active;
}

/**
 * Makes host calls for the rest of this callback act on context `contextId` (a stream, from a
 * root callback); BadArgument when the host no longer knows it. Callout handlers get this for free.
 */
export function setEffectiveContext(contextId: u32): Status {
  const status = host.setEffectiveContext(contextId);
  if (status == Status.Ok) active = contextId;
  return status;
}

/** Reports that a root whose onDone returned false finished its work; NotFound when no shutdown waits on it. */
export function done(): Status {
  return host.done();
}
