// proxy_log and proxy_get_log_level (reference abi.md 3.1).

import { LogLevel, Status } from "../abi/types.js";
import { type HostFunction } from "./vm.js";

export const loggingCalls: Record<string, HostFunction> = {
  proxy_log(vm, level, ptr, size) {
    if (Number(level) > LogLevel.Critical) return Status.BadArgument;
    vm.logs.write(Number(level) as LogLevel, vm.memory.readString(Number(ptr), Number(size)), vm.role, vm.thread);
    return Status.Ok;
  },
  proxy_get_log_level(vm, levelPtr) {
    vm.memory.writeU32(Number(levelPtr), vm.logs.level);
    return Status.Ok;
  },
};
