// envoy-as/harness: run proxy-wasm modules in Node with Envoy's semantics, for tests.

export { Plugin, type PluginOptions, type PluginStatus } from "./plugin.js";
export { HttpStream, type FailurePolicy, type LocalReply } from "./host/http-stream.js";
export { HeaderMap } from "./host/header-map.js";
export { type HeaderEntry, serializePairs, deserializePairs } from "./host/pairs.js";
export { type LogEntry } from "./host/logs.js";
export { ModuleLoadError } from "./abi/imports.js";
export { readModuleInfo, type ModuleInfo, type ImportEntry, type ExportEntry } from "./abi/module-info.js";
export { WasmTrap } from "./host/vm.js";
export * from "./abi/types.js";
