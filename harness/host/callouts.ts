// Outstanding HTTP and gRPC callouts of one instance and the test API that answers them
// (reference abi.md 3.5, 4.5, 6.4). Every answer is delivered to the ROOT context that issued the
// call, with the response readable only during its callback.

import { BufferType, GrpcStatus, MapType, Status } from "../abi/types.js";
import { type Timer } from "./clock.js";
import { HeaderMap } from "./header-map.js";
import { type HeaderEntry } from "./pairs.js";
import { type RootState, type WasmVm } from "./vm.js";

/** A scripted answer to an HTTP callout. */
export interface HttpCallResponse {
  headers: HeaderEntry[];
  body?: string | Uint8Array;
  trailers?: HeaderEntry[];
}

/** What happened to a callout: still waiting, answered, failed, or cancelled by the guest. */
export type CalloutState = "pending" | "answered" | "failed" | "timed_out" | "cancelled";

const encoder = new TextEncoder();
const bytes = (value: string | Uint8Array | undefined) =>
  value === undefined ? new Uint8Array() : typeof value === "string" ? encoder.encode(value) : value;

/**
 * The reply Envoy's router gives an async request whose timeout expired (a local reply through
 * the async client, so it arrives as a successful response, not as a failure).
 */
export const TIMEOUT_RESPONSE: HttpCallResponse = {
  headers: [
    [":status", "504"],
    ["content-length", "24"],
    ["content-type", "text/plain"],
  ],
  body: "upstream request timeout",
};

const RESET_BODY = "upstream connect error or disconnect/reset before headers. reset reason: connection termination";

/**
 * The reply Envoy's router gives an async request whose upstream connection was reset before
 * response headers: like a timeout, a local reply delivered as a successful response.
 */
export const CONNECTION_RESET_RESPONSE: HttpCallResponse = {
  headers: [
    [":status", "503"],
    ["content-length", String(RESET_BODY.length)],
    ["content-type", "text/plain"],
  ],
  body: RESET_BODY,
};

/** The status and message a gRPC callout closes with when its timeout expires. */
export const GRPC_TIMEOUT = { status: GrpcStatus.Unavailable, message: "upstream request timeout" };

/** What HTTP and gRPC callouts share: a token, a root to answer, a timeout on the host clock. */
export abstract class Callout {
  state: CalloutState = "pending";
  private readonly timer: Timer | null;

  constructor(
    protected readonly vm: WasmVm,
    protected readonly root: RootState,
    /** The token the guest received. */
    readonly token: number,
    /** The timeout the guest asked for, in milliseconds (0 = none). */
    readonly timeoutMs: number,
  ) {
    vm.callouts.add(this);
    this.timer = timeoutMs > 0 ? vm.env.clock.schedule(timeoutMs, () => this.onTimeout()) : null;
  }

  /** The id of the root context the answer goes to. */
  get rootId(): number {
    return this.root.id;
  }

  /** The thread of the instance that made the call: "main" or "worker N". */
  get thread(): string {
    return this.vm.thread;
  }

  protected abstract onTimeout(): void;

  /** Forgets the callout without telling the guest (it cancelled it, or its root went away). */
  cancel(): void {
    this.finish("cancelled");
  }

  protected assertPending(action: string): void {
    if (this.state !== "pending") throw new Error(`cannot ${action}: callout ${this.token} is ${this.state}`);
  }

  protected finish(state: CalloutState): void {
    this.state = state;
    this.timer?.cancel();
    this.vm.callouts.remove(this.token);
  }

  protected deliver(name: string, args: number[], delivery: Parameters<WasmVm["deliverToRoot"]>[3] = null): void {
    this.vm.deliverToRoot(this.root, name, [this.root.id, this.token, ...args], delivery);
  }
}

/** An HTTP callout (proxy_http_call) as Envoy's async client received it. */
export class HttpCall extends Callout {
  constructor(
    vm: WasmVm,
    root: RootState,
    token: number,
    /** The target cluster name. */
    readonly cluster: string,
    /** The request headers, with the content-length Envoy adds for a body. */
    readonly headers: HeaderEntry[],
    readonly body: Uint8Array,
    readonly trailers: HeaderEntry[],
    timeoutMs: number,
  ) {
    super(vm, root, token, timeoutMs);
  }

  /** The first value of request header `name`, or undefined. */
  header(name: string): string | undefined {
    return this.headers.find(([k]) => k === name.toLowerCase())?.[1];
  }

  /** Answers with `response`: proxy_on_http_call_response(root, token, headers, body size, trailers). */
  respond(response: HttpCallResponse): void {
    this.assertPending("respond");
    this.answer(response, "answered");
  }

  /**
   * Answers as Envoy does when the cluster's server resets the connection before its response
   * headers: the router's 503 CONNECTION_RESET_RESPONSE, delivered as a response.
   */
  resetConnection(): void {
    this.assertPending("resetConnection");
    this.answer(CONNECTION_RESET_RESPONSE, "answered");
  }

  /**
   * Fails the call as Envoy's async client does when the request itself is reset (it never
   * reached a router reply): the callback gets (0, 0, 0) and proxy_get_status reads (11, "reset").
   */
  fail(): void {
    this.assertPending("fail");
    this.finish("failed");
    this.root.status = { code: Status.BrokenConnection, message: "reset" };
    this.deliver("proxy_on_http_call_response", [0, 0, 0]);
  }

  protected onTimeout(): void {
    this.answer(TIMEOUT_RESPONSE, "timed_out");
  }

  private answer(response: HttpCallResponse, state: CalloutState): void {
    this.finish(state);
    const headers = new HeaderMap(response.headers, "response-headers");
    const trailers = new HeaderMap(response.trailers ?? [], "response-trailers");
    const body = bytes(response.body);
    this.deliver("proxy_on_http_call_response", [headers.size, body.length, trailers.size], {
      maps: { [MapType.HttpCallResponseHeaders]: headers, [MapType.HttpCallResponseTrailers]: trailers },
      buffers: { [BufferType.HttpCallResponseBody]: body },
    });
  }
}

/** A gRPC unary call (proxy_grpc_call) or stream (proxy_grpc_stream). */
export class GrpcCall extends Callout {
  /** Messages the guest sent: the request of a unary call, or each proxy_grpc_send of a stream. */
  readonly messages: Uint8Array[] = [];
  /** True once the guest half-closed a stream (proxy_grpc_close, or send with end_stream). */
  localClosed = false;

  constructor(
    vm: WasmVm,
    root: RootState,
    token: number,
    readonly kind: "call" | "stream",
    readonly cluster: string,
    readonly service: string,
    readonly method: string,
    readonly initialMetadata: HeaderEntry[],
    timeoutMs: number,
  ) {
    super(vm, root, token, timeoutMs);
  }

  /** Answers a unary call with its response message: proxy_on_grpc_receive only. */
  respond(message: string | Uint8Array): void {
    this.assertPending("respond");
    if (this.kind !== "call") throw new Error("respond() answers unary calls; streams use sendMessage()");
    this.finish("answered");
    this.receive(bytes(message));
  }

  /** Delivers a stream's initial metadata: proxy_on_grpc_receive_initial_metadata. */
  sendInitialMetadata(entries: HeaderEntry[]): void {
    this.metadata(entries, MapType.GrpcReceiveInitialMetadata, "proxy_on_grpc_receive_initial_metadata");
  }

  /** Delivers one message on a stream: proxy_on_grpc_receive. */
  sendMessage(message: string | Uint8Array): void {
    this.assertStream("send a message");
    this.receive(bytes(message));
  }

  /** Delivers a stream's trailing metadata: proxy_on_grpc_receive_trailing_metadata. */
  sendTrailingMetadata(entries: HeaderEntry[]): void {
    this.metadata(entries, MapType.GrpcReceiveTrailingMetadata, "proxy_on_grpc_receive_trailing_metadata");
  }

  /**
   * Ends the call or stream from the remote side: proxy_on_grpc_close(root, token, status), with
   * proxy_get_status reading (status, message) during it. For a unary call this is its failure.
   */
  close(status: GrpcStatus, message = ""): void {
    this.assertPending("close");
    this.finish(status === GrpcStatus.Ok ? "answered" : "failed");
    this.root.status = { code: status >>> 0, message };
    this.deliver("proxy_on_grpc_close", [status >>> 0]);
  }

  protected onTimeout(): void {
    this.close(GRPC_TIMEOUT.status, GRPC_TIMEOUT.message);
    this.state = "timed_out";
  }

  private assertStream(action: string): void {
    this.assertPending(action);
    if (this.kind !== "stream") throw new Error(`cannot ${action} on a unary call`);
  }

  private receive(message: Uint8Array): void {
    this.deliver("proxy_on_grpc_receive", [message.length], { buffers: { [BufferType.GrpcReceiveBuffer]: message } });
  }

  private metadata(entries: HeaderEntry[], type: MapType, callback: string): void {
    this.assertStream("send metadata");
    const map = new HeaderMap(entries, "plain");
    this.deliver(callback, [map.size], { maps: { [type]: map } });
  }
}

/** The callouts of one instance by token, and the token counters Envoy keeps per instance (abi.md 2). */
export class CalloutTable {
  private readonly byToken = new Map<number, Callout>();
  private readonly next = { http: 0, call: 1, stream: 2 };

  /** The next token of `kind`: HTTP 4, 8, 12...; gRPC calls 5, 9...; gRPC streams 6, 10.... */
  nextToken(kind: "http" | "call" | "stream"): number {
    this.next[kind] += 4;
    return this.next[kind];
  }

  /** Records a new callout. */
  add(callout: Callout): void {
    this.byToken.set(callout.token, callout);
  }

  /** Forgets callout `token`. */
  remove(token: number): void {
    this.byToken.delete(token);
  }

  /** Outstanding callout `token`, or undefined. */
  get(token: number): Callout | undefined {
    return this.byToken.get(token);
  }

  /** Every outstanding callout, oldest first. */
  all(): Callout[] {
    return [...this.byToken.values()];
  }

  /** Cancels every callout of root `rootId` (Envoy does so when the root is destroyed). */
  cancelFor(rootId: number): void {
    for (const callout of this.all()) if (callout.rootId === rootId) callout.cancel();
  }
}
