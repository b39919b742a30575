// proxy_http_call and the gRPC calls (reference abi.md 3.5): issued from the root context whatever
// the caller, against clusters the host environment knows, with Envoy's argument checks.

import { Status } from "../abi/types.js";
import { GrpcCall, HttpCall } from "./callouts.js";
import { HeaderMap } from "./header-map.js";
import { deserializePairs } from "./pairs.js";
import { type HostFunction, rootOf, type WasmVm } from "./vm.js";

const n = (value: number | bigint) => Number(value) >>> 0;

function pairs(vm: WasmVm, ptr: number | bigint, size: number | bigint) {
  return deserializePairs(vm.memory.read(n(ptr), n(size)));
}

// Envoy's isGrpcCallId / isGrpcStreamId: the low two bits of a token say what it is.
const isCallToken = (token: number) => (token & 3) === 1;
const isStreamToken = (token: number) => (token & 3) === 2;

function grpcCallout(vm: WasmVm, token: number): GrpcCall | undefined {
  const callout = vm.callouts.get(token);
  return callout instanceof GrpcCall ? callout : undefined;
}

function startGrpc(
  vm: WasmVm,
  kind: "call" | "stream",
  args: (number | bigint)[],
  message: Uint8Array | null,
  timeoutMs: number,
  tokenPtr: number,
): Status {
  const [upstreamPtr, upstreamSize, servicePtr, serviceSize, methodPtr, methodSize, metadataPtr, metadataSize] = args;
  const cluster = vm.memory.readString(n(upstreamPtr!), n(upstreamSize!));
  const service = vm.memory.readString(n(servicePtr!), n(serviceSize!));
  const method = vm.memory.readString(n(methodPtr!), n(methodSize!));
  const metadata = pairs(vm, metadataPtr!, metadataSize!);
  const context = vm.context;
  if (!context || !vm.env.clusters.has(cluster)) return Status.ParseFailure;
  const token = vm.callouts.nextToken(kind);
  vm.memory.writeU32(tokenPtr, token);
  const call = new GrpcCall(vm, rootOf(context), token, kind, cluster, service, method, metadata, timeoutMs);
  if (message) call.messages.push(message);
  return Status.Ok;
}

export const calloutCalls: Record<string, HostFunction> = {
  proxy_http_call(
    vm,
    upstreamPtr,
    upstreamSize,
    headersPtr,
    headersSize,
    bodyPtr,
    bodySize,
    trailersPtr,
    trailersSize,
    timeout,
    tokenPtr,
  ) {
    const cluster = vm.memory.readString(n(upstreamPtr), n(upstreamSize));
    const headers = new HeaderMap(pairs(vm, headersPtr, headersSize), "request-headers");
    const body = vm.memory.read(n(bodyPtr), n(bodySize));
    const trailers = pairs(vm, trailersPtr, trailersSize);
    const context = vm.context;
    if (!context || !vm.env.clusters.has(cluster)) return Status.BadArgument;
    const required = [":path", ":method", ":authority"];
    if (required.some((name) => headers.get(name) === undefined)) return Status.BadArgument;
    const timeoutMs = n(timeout);
    if (timeoutMs >= 2 ** 31) return Status.BadArgument;
    if (body.length > 0) headers.set("content-length", String(body.length));
    const token = vm.callouts.nextToken("http");
    vm.memory.writeU32(n(tokenPtr), token);
    new HttpCall(vm, rootOf(context), token, cluster, headers.all(), body, trailers, timeoutMs);
    return Status.Ok;
  },
  proxy_grpc_call(vm, ...args) {
    const message = vm.memory.read(n(args[8]!), n(args[9]!));
    return startGrpc(vm, "call", args, message, n(args[10]!), n(args[11]!));
  },
  proxy_grpc_stream(vm, ...args) {
    return startGrpc(vm, "stream", args, null, 0, n(args[8]!));
  },
  proxy_grpc_send(vm, token, messagePtr, messageSize, endStream) {
    const message = vm.memory.read(n(messagePtr), n(messageSize));
    if (!isStreamToken(n(token))) return Status.BadArgument;
    const stream = grpcCallout(vm, n(token));
    if (!stream) return Status.NotFound;
    stream.messages.push(message);
    if (n(endStream) !== 0) stream.localClosed = true;
    return Status.Ok;
  },
  proxy_grpc_cancel(vm, token) {
    if (!isCallToken(n(token)) && !isStreamToken(n(token))) return Status.BadArgument;
    const callout = grpcCallout(vm, n(token));
    if (!callout) return Status.NotFound;
    callout.cancel();
    return Status.Ok;
  },
  proxy_grpc_close(vm, token) {
    if (!isCallToken(n(token)) && !isStreamToken(n(token))) return Status.BadArgument;
    const callout = grpcCallout(vm, n(token));
    if (!callout) return Status.NotFound;
    if (callout.kind === "call") callout.cancel();
    else callout.localClosed = true;
    return Status.Ok;
  },
};
