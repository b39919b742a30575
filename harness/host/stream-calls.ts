// Stream control (reference abi.md 3.4): local replies, continues and closes are deferred until
// the current callback returns; on a context without such a stream they are silent no-ops.
// continue_stream(UPSTREAM) is Unimplemented in Envoy.

import { Status, StreamType } from "../abi/types.js";
import { HttpStream } from "./http-stream.js";
import { deserializePairs } from "./pairs.js";
import { TcpStream } from "./tcp-stream.js";
import { type HostFunction } from "./vm.js";

const isHttp = (type: number) => type === StreamType.HttpRequest || type === StreamType.HttpResponse;

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
    if (context instanceof HttpStream && isHttp(type)) context.scheduleContinue(type);
    if (context instanceof TcpStream && type === StreamType.Downstream) context.scheduleContinue(type);
    return Status.Ok;
  },
  proxy_close_stream(vm, stream) {
    const type = Number(stream);
    if (type > StreamType.Upstream) return Status.BadArgument;
    const context = vm.context;
    if (context instanceof HttpStream && isHttp(type)) context.scheduleReset();
    if (context instanceof TcpStream && !isHttp(type)) context.scheduleClose(type);
    return Status.Ok;
  },
};
