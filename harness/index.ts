// envoy-as/harness: run proxy-wasm modules in Node with Envoy's semantics, for tests.

export { Plugin, type PluginOptions, type PluginStatus } from "./plugin.js";
export { FilterChain, ChainedHttpStream, type ChainHop } from "./chain.js";
export { DnsQuery, type DnsAnswer } from "./host/dns.js";
export { type EnvironmentVariables } from "./host/vm-environment.js";
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
export { HostCallTrace, type HostCall } from "./host/trace.js";
export {
  parseScenario,
  readScenarioFile,
  runScenario,
  ScenarioError,
  type Scenario,
  type ScenarioFile,
  type ScenarioStep,
  type StepReport,
  type Transcript,
} from "./scenario.js";
export { RtraceCounter } from "./host/rtrace.js";
export { headerBytes, headerText } from "./host/header-text.js";
export { HostEnvironment, type EnvironmentOptions, type ForeignFunction } from "./host/environment.js";
export { FakeClock, type Timer } from "./host/clock.js";
export {
  Callout,
  GrpcCall,
  HttpCall,
  GRPC_TIMEOUT,
  TIMEOUT_RESPONSE,
  CONNECTION_RESET_RESPONSE,
  type CalloutState,
  type HttpCallResponse,
} from "./host/callouts.js";
export {
  type HistogramBuckets,
  MetricsRegistry,
  RECENT_SAMPLES,
  Stat,
  labelTag,
  type StatsTag,
  type TaggedName,
} from "./host/metrics.js";
export { SharedData, SharedQueues, type SharedEntry, type SharedQueue } from "./host/shared-state.js";
export * from "./abi/types.js";
