// Stream control (reference abi.md 3.4): local replies and continues are deferred until the
// current callback returns; on a context that is not an HTTP stream they are silent no-ops.

import { Status, StreamType } from "../abi/types.js";
import { HttpStream } from "./http-stream.js";
import { deserializePairs } from "./pairs.js";
import { type HostFunction } from "./vm.js";

export const streamCalls: Record<string, HostFunction> = {
  proxy_send_local_response(vm, status, detailsPtr, detailsSize, bodyPtr, bodySize, headersPtr, headersSize, grpc) {
    const details = vm.memory.readString(Number(detailsPtr), Number(detailsSize)).replace(/\s/g, "_");
    const body = vm.memory.read(Number(bodyPtr), Number(bodySize));
    const headers = deserializePairs(vm.memory.read(Number(headersPtr), Number(headersSize)));
    const grpcStatus = Number(grpc) | 0;
    const context = vm.context;
    if (context instanceof HttpStream) {
      context.scheduleLocalReply({
        status: Number(status) >>> 0,
        details,
        body,
        headers,
        grpcStatus: grpcStatus >= 0 && grpcStatus <= 16 ? grpcStatus : null,
      });
    }
    return Status.Ok;
  },
  proxy_continue_stream(vm, stream) {
    const type = Number(stream);
    if (type > StreamType.Upstream) return Status.BadArgument;
    if (type === StreamType.Upstream) return Status.Unimplemented;
    const context = vm.context;
    if (context instanceof HttpStream) context.scheduleContinue(type);
    return Status.Ok;
  },
};
