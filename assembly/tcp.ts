// The data of the current TCP connection (a network filter): what the client sent (downstream)
// and what the upstream sent, readable and writable in their callbacks and while that direction
// is paused; resuming and closing the connection. Envoy runs continue and close after the
// current callback returns (reference abi.md 3.3, 3.4, 4.4).

import * as host from "./abi/hostcalls";
import { Body } from "./body";
import { BufferType, Status, StreamType } from "./types";

/** The client side of the current connection. */
export namespace downstream {
  /** Bytes from the client held at this filter (everything not yet passed on). */
  export const data = new Body(BufferType.DownstreamData);
}

/** The upstream side of the current connection. */
export namespace upstream {
  /** Bytes from the upstream held at this filter (everything not yet passed on). */
  export const data = new Body(BufferType.UpstreamData);
}

/** Resumes reading from the client after the callback returns; Ok (and nothing happens) when not paused. */
export function continueDownstream(): Status {
  return host.continueStream(StreamType.Downstream);
}

/** Closes the connection after the callback returns, flushing what was written (details `wasm_downstream_close`). */
export function closeDownstream(): Status {
  return host.closeStream(StreamType.Downstream);
}

/** Closes the connection on Envoy's upstream side after the callback returns (details `wasm_upstream_close`). */
export function closeUpstream(): Status {
  return host.closeStream(StreamType.Upstream);
}
