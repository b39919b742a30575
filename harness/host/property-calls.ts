// proxy_get_property (reference abi.md 7): the plugin identity attributes, readable from every
// context. Other paths answer NotFound.

import { Status } from "../abi/types.js";
import { type HostFunction } from "./vm.js";

const encoder = new TextEncoder();

export const propertyCalls: Record<string, HostFunction> = {
  proxy_get_property(vm, pathPtr, pathSize, valuePtrPtr, valueSizePtr) {
    const path = vm.memory.readString(Number(pathPtr), Number(pathSize)).replace(/\0$/, "").split("\0");
    const context = vm.context;
    if (!context || path.length !== 1) return Status.NotFound;
    const plugin = context.kind === "root" ? context.plugin : context.root.plugin;
    const values: Record<string, string> = {
      plugin_name: plugin.name,
      plugin_root_id: plugin.rootId,
      plugin_vm_id: plugin.vmId,
    };
    const value = values[path[0]!];
    if (value === undefined) return Status.NotFound;
    return vm.memory.returnBytes(Number(valuePtrPtr), Number(valueSizePtr), encoder.encode(value));
  },
};
