// One TCP connection through one plugin used as a network filter, driven the way Envoy drives it
// (reference abi.md 3.3, 3.4, 4.4, 8.1): context creation and on_new_connection when the
// connection is accepted; data callbacks that see everything held so far (Envoy leaves unconsumed
// bytes in the connection buffer); any non-zero status stops; an upstream end of stream is
// reported as an upstream close with peer 0; closing the downstream side runs on_done, on_log and
// on_delete (in that order for TCP).

import { BufferType, FilterStatus, PeerType, StreamType } from "../abi/types.js";
import {
  type AttributeOverrides,
  type AttributeValue,
  connectionDefault,
  FilterState,
  toAttribute,
} from "./attributes.js";
import { concat } from "./http-flow.js";
import { type FailurePolicy } from "./http-stream.js";
import { type RootState, WasmTrap, type WasmVm } from "./vm.js";

/** Per-connection settings: attribute overrides and a shared filter state. */
export interface TcpStreamOptions {
  /** Attributes that differ from the defaults, by dotted name (abi.md 7.2); null makes one absent. */
  attributes?: AttributeOverrides;
  /** The filter state proxy_set_property writes to. */
  filterState?: FilterState;
}

/** The bytes one side of the connection has received through the filter. */
export interface TcpDelivered {
  data: Uint8Array;
  /** True once end of stream (a half close) went out. */
  ended: boolean;
}

type Side = "downstream" | "upstream";

interface TcpFlow {
  /** Bytes held at this filter (the connection buffer Envoy keeps while the filter stops). */
  pending: Uint8Array;
  paused: boolean;
  readonly delivered: TcpDelivered;
}

/** One TCP connection: drive it with the send* and close verbs, then inspect what each side received. */
export class TcpStream {
  readonly kind = "tcp";
  readonly id: number;
  /** Every callback invoked on this connection's context, in order. */
  readonly callbacks: string[] = [];
  /** What on_new_connection returned (any non-zero value is StopIteration). */
  readonly newConnectionStatus: FilterStatus;
  /** Why the downstream connection closed: "remote", "local", or the details of a Wasm close. */
  closed: string | null = null;
  /** True once the upstream side ended (reported to the guest as an upstream close). */
  upstreamClosed = false;
  completed = false;
  /** The trap that ended this connection; a failed VM closes it (fail closed) or steps aside (fail open). */
  trap: WasmTrap | null = null;
  bypassed = false;
  readonly filterState: FilterState;
  private readonly flows: Record<Side, TcpFlow> = {
    downstream: { pending: new Uint8Array(), paused: false, delivered: { data: new Uint8Array(), ended: false } },
    upstream: { pending: new Uint8Array(), paused: false, delivered: { data: new Uint8Array(), ended: false } },
  };
  private readonly overrides: Map<string, AttributeValue | undefined>;
  private readonly pendingContinue = new Set<StreamType>();
  private pendingClose: StreamType | null = null;

  /** Accepts a connection: creates the context and calls on_new_connection. */
  constructor(
    private readonly vm: WasmVm,
    readonly root: RootState,
    private readonly failurePolicy: FailurePolicy,
    options: TcpStreamOptions = {},
  ) {
    this.id = vm.newContextId();
    this.filterState = options.filterState ?? new FilterState();
    this.overrides = new Map(Object.entries(options.attributes ?? {}).map(([k, v]) => [k, toAttribute(k, v)]));
    let status = FilterStatus.Continue;
    this.guarded(() => {
      vm.contexts.set(this.id, this);
      this.call("proxy_on_context_create", this.id, root.id);
      status = this.call("proxy_on_new_connection", this.id) === 0 ? FilterStatus.Continue : FilterStatus.StopIteration;
    });
    this.newConnectionStatus = status;
    this.flows.downstream.paused = status !== FilterStatus.Continue;
    this.runDeferred();
  }

  /** What the upstream has received from the client through the filter. */
  get upstreamReceived(): TcpDelivered {
    return this.flows.downstream.delivered;
  }

  /** What the client has received from the upstream through the filter. */
  get downstreamReceived(): TcpDelivered {
    return this.flows.upstream.delivered;
  }

  /** True while a direction is stopped at this filter. */
  get paused(): { downstream: boolean; upstream: boolean } {
    return { downstream: this.flows.downstream.paused, upstream: this.flows.upstream.paused };
  }

  /** Buffer 2 or 3: the held data, inside its callback or while that direction is paused; else null. */
  dataBuffer(type: BufferType.DownstreamData | BufferType.UpstreamData): Uint8Array | null {
    const side: Side = type === BufferType.DownstreamData ? "downstream" : "upstream";
    const flow = this.flows[side];
    const inCallback = this.vm.callback === `proxy_on_${side}_data` && this.vm.context === this;
    return inCallback || flow.paused ? flow.pending : null;
  }

  /** Replaces buffer 2 or 3 (only called while it is available). */
  setDataBuffer(type: BufferType.DownstreamData | BufferType.UpstreamData, bytes: Uint8Array): void {
    this.flows[type === BufferType.DownstreamData ? "downstream" : "upstream"].pending = bytes;
  }

  /** Attribute `name` (dotted) as proxy_get_property sees it: an override, or the connection's value. */
  attribute(name: string): AttributeValue | undefined {
    if (this.overrides.has(name)) return this.overrides.get(name);
    return connectionDefault(this.id, name);
  }

  /** Records a continue_stream to run once the current callback returns. */
  scheduleContinue(stream: StreamType): void {
    this.pendingContinue.add(stream);
  }

  /** Records a close_stream (2 downstream, 3 upstream) to run once the current callback returns. */
  scheduleClose(stream: StreamType): void {
    this.pendingClose ??= stream;
  }

  /** Delivers bytes from the client; with `endOfStream` the client half-closed. */
  sendDownstreamData(data: Uint8Array | string, endOfStream: boolean): FilterStatus {
    return this.data("downstream", data, endOfStream);
  }

  /** Delivers bytes from the upstream; with `endOfStream` Envoy also reports an upstream close (peer 0). */
  sendUpstreamData(data: Uint8Array | string, endOfStream: boolean): FilterStatus {
    const status = this.data("upstream", data, endOfStream);
    if (endOfStream && !this.completed && !this.upstreamClosed) {
      this.upstreamClosed = true;
      this.guarded(() => void this.call("proxy_on_upstream_connection_close", this.id, PeerType.Unknown));
    }
    return status;
  }

  /** Closes the downstream connection: `remote` when the client closed, `local` when Envoy did. */
  closeDownstream(peer: "remote" | "local" = "remote"): void {
    this.close(peer, peer === "remote" ? PeerType.Remote : PeerType.Local);
  }

  /** Runs what the guest scheduled (close, continue); the host calls it after each callback. */
  runDeferred(): void {
    const close = this.pendingClose;
    const continues = this.pendingContinue.has(StreamType.Downstream);
    this.pendingClose = null;
    this.pendingContinue.clear();
    if (this.completed) return;
    if (close !== null) {
      return this.close(close === StreamType.Downstream ? "wasm_downstream_close" : "wasm_upstream_close", 1);
    }
    if (continues && this.flows.downstream.paused) this.forward("downstream");
  }

  private data(side: Side, data: Uint8Array | string, endOfStream: boolean): FilterStatus {
    if (this.completed) throw new Error(`cannot send ${side} data: the connection is closed`);
    const flow = this.flows[side];
    flow.pending = concat(flow.pending, typeof data === "string" ? new TextEncoder().encode(data) : data);
    let status = FilterStatus.Continue;
    const ran = this.guarded(() => {
      const raw = this.call(`proxy_on_${side}_data`, this.id, flow.pending.length, endOfStream ? 1 : 0);
      status = raw === 0 ? FilterStatus.Continue : FilterStatus.StopIteration;
    });
    if (!ran && !this.bypassed) return FilterStatus.StopIteration;
    // A connection the callback closed passes nothing on, whatever the callback returned.
    if (status === FilterStatus.Continue && this.pendingClose === null) this.forward(side, endOfStream);
    else flow.paused = true;
    this.runDeferred();
    return status;
  }

  private forward(side: Side, endOfStream = false): void {
    const flow = this.flows[side];
    flow.delivered.data = concat(flow.delivered.data, flow.pending);
    flow.pending = new Uint8Array();
    flow.paused = false;
    if (endOfStream) flow.delivered.ended = true;
  }

  // Envoy's onCloseTCP: the downstream close event, then on_done, on_log and on_delete.
  private close(reason: string, peer: PeerType): void {
    if (this.completed) return;
    this.closed = reason;
    this.guarded(() => void this.call("proxy_on_downstream_connection_close", this.id, peer));
    this.guarded(() => {
      this.call("proxy_on_done", this.id);
      this.call("proxy_on_log", this.id);
      this.call("proxy_on_delete", this.id);
    });
    this.completed = true;
    this.vm.contexts.delete(this.id);
  }

  private call(name: string, ...args: number[]): number {
    this.callbacks.push(name);
    return this.vm.invoke(this, name, ...args) ?? 0;
  }

  // A trap closes the connection (FlushWrite) unless the policy lets traffic through.
  private guarded(run: () => void): boolean {
    if (this.bypassed || this.completed) return false;
    try {
      if (this.vm.failure) throw this.vm.failure;
      run();
      return true;
    } catch (error) {
      if (!(error instanceof WasmTrap)) throw error;
      this.trap = error;
      this.vm.contexts.delete(this.id);
      if (this.failurePolicy === "FAIL_OPEN") {
        this.bypassed = true;
        this.flows.downstream.paused = this.flows.upstream.paused = false;
      } else {
        this.closed = "wasm_fail_stream";
        this.completed = true;
      }
      return false;
    }
  }
}
