// The envoy-as SDK: write proxy-wasm filters for Envoy in AssemblyScript.
// A filter's entry file also re-exports the ABI callbacks: `export * from "<sdk>/abi/exports"`.

export * from "./types";
export { Header } from "./header";
export { HttpContext, RootContext, TcpContext } from "./contexts";
export { registerRootContext, RootContextFactory } from "./dispatcher";
export { HeaderMap, request, response } from "./headers";
export { log, logCritical, logDebug, logError, logInfo, logLevel, logTrace, logWarn } from "./log";
export { continueRequest, continueResponse, resetStream, sendLocalResponse } from "./stream";
export { pluginConfiguration, pluginConfigurationJson } from "./configuration";
export { JsonKind, JsonResult, JsonValue } from "./json/value";
export { JsonLimits, parseJson, parseJsonString } from "./json/parser";
