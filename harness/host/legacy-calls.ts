// Host functions Envoy registers only for ABI v0.1.0 modules, and the Emscripten helpers it
// provides in `env` (reference abi.md 3.1, 3.4, 3.10, 3.11).

import { Status, StreamType } from "../abi/types.js";
import { HttpStream } from "./http-stream.js";
import { type HostFunction, type WasmVm } from "./vm.js";

function continueStream(vm: WasmVm, stream: StreamType): Status {
  const context = vm.context;
  if (context instanceof HttpStream) context.scheduleContinue(stream);
  return Status.Ok;
}

export const legacyCalls: Record<string, HostFunction> = {
  proxy_get_configuration(vm, dataPtrPtr, dataSizePtr) {
    const context = vm.context;
    if (!context) return Status.NotFound;
    const root = context.kind === "root" ? context : context.root;
    const bytes = root.configuring ? root.plugin.configuration : root.plugin.vmConfiguration;
    return vm.memory.returnBytes(Number(dataPtrPtr), Number(dataSizePtr), bytes);
  },
  proxy_continue_request: (vm) => continueStream(vm, StreamType.HttpRequest),
  proxy_continue_response: (vm) => continueStream(vm, StreamType.HttpResponse),
  proxy_clear_route_cache: () => Status.Ok,
  pthread_equal: (_vm, a, b) => (a === b ? 1 : 0),
  emscripten_notify_memory_growth: () => undefined,
};
