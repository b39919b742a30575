// The messages between the dev proxy's HTTP thread and its filter thread. The HTTP thread has the
// clients' connections; the filter thread runs each stream of a listener with filters: the filters,
// the route to the upstream, the callouts, the clock and the admin listener. Each side sends what
// happened in one task (one socket event, one message from the other side) as one message.

import { type HeaderEntry } from "../../harness/index.js";
import { type DevBootstrap } from "./bootstrap.js";

/** Something the client did, for the filter thread's side of the stream. */
export type StreamOp =
  | {
      kind: "open";
      stream: number;
      /** Index of the listener in the bootstrap. */
      listener: number;
      /** The client's address and port. */
      source: string;
      connection: bigint;
      headers: HeaderEntry[];
      hasBody: boolean;
    }
  | { kind: "data"; stream: number; chunk: Uint8Array }
  | { kind: "end" | "gone"; stream: number };

/** What the HTTP thread sends the filter thread. */
export type ToFilterThread =
  { kind: "start"; bootstrap: DevBootstrap } | { kind: "ops"; ops: StreamOp[] } | { kind: "stop" };

/** Something to do to a client's response. */
export type DownstreamAction =
  | { kind: "head"; stream: number; status: number; headers: HeaderEntry[]; length: number | null }
  | { kind: "write"; stream: number; chunk: Uint8Array }
  | { kind: "end" | "reset"; stream: number };

/** What the filter thread sends the HTTP thread. */
export type FromFilterThread =
  | { kind: "events"; lines: string[]; actions: DownstreamAction[] }
  | { kind: "ready" }
  | { kind: "failed"; message: string }
  | { kind: "stopped" };
