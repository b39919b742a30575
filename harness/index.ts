// envoy-as/harness: run proxy-wasm modules in Node with Envoy's semantics, for tests.

export { Plugin, type PluginOptions, type PluginStatus } from "./plugin.js";
export {
  HttpStream,
  type BodyView,
  type FailurePolicy,
  type HttpStreamOptions,
  type LocalReply,
} from "./host/http-stream.js";
export { type Delivered } from "./host/http-flow.js";
export { TcpStream, type TcpDelivered, type TcpStreamOptions } from "./host/tcp-stream.js";
export {
  FilterState,
  type FilterStateEntry,
  type AttributeOverride,
  type AttributeOverrides,
  type AttributeValue,
  encodeAttribute,
} from "./host/attributes.js";
export { HeaderMap } from "./host/header-map.js";
export { type HeaderEntry, serializePairs, deserializePairs } from "./host/pairs.js";
export { type LogEntry } from "./host/logs.js";
export { ModuleLoadError } from "./abi/imports.js";
export { readModuleInfo, type ModuleInfo, type ImportEntry, type ExportEntry } from "./abi/module-info.js";
export { WasmTrap } from "./host/vm.js";
export { HostEnvironment, type EnvironmentOptions, type ForeignFunction } from "./host/environment.js";
export { FakeClock, type Timer } from "./host/clock.js";
export {
  Callout,
  GrpcCall,
  HttpCall,
  GRPC_TIMEOUT,
  TIMEOUT_RESPONSE,
  type CalloutState,
  type HttpCallResponse,
} from "./host/callouts.js";
export { MetricsRegistry, Stat, labelTag, type StatsTag, type TaggedName } from "./host/metrics.js";
export { SharedData, SharedQueues, type SharedEntry, type SharedQueue } from "./host/shared-state.js";
export * from "./abi/types.js";
