// The numbers of proxy-wasm ABI v0.2.1 as Envoy uses them. The harness mirrors this file
// (harness/abi/types.ts) and a test proves the two agree, so keep it to plain enums.

/** Result of every host call (`WasmResult`); Envoy also returns 5, 9 and 11. */
export enum Status {
  Ok = 0,
  NotFound = 1,
  BadArgument = 2,
  SerializationFailure = 3,
  ParseFailure = 4,
  BadExpression = 5,
  InvalidMemoryAccess = 6,
  Empty = 7,
  CasMismatch = 8,
  ResultMismatch = 9,
  InternalFailure = 10,
  BrokenConnection = 11,
  Unimplemented = 12,
}

/** Log levels of `proxy_log`; `Off` (6) only comes back from `proxy_get_log_level`. */
export enum LogLevel {
  Trace = 0,
  Debug = 1,
  Info = 2,
  Warn = 3,
  Error = 4,
  Critical = 5,
  Off = 6,
}

/** Header, trailer and metadata maps a host call can address. */
export enum MapType {
  HttpRequestHeaders = 0,
  HttpRequestTrailers = 1,
  HttpResponseHeaders = 2,
  HttpResponseTrailers = 3,
  GrpcReceiveInitialMetadata = 4,
  GrpcReceiveTrailingMetadata = 5,
  HttpCallResponseHeaders = 6,
  HttpCallResponseTrailers = 7,
}

/** Byte buffers a host call can address. */
export enum BufferType {
  HttpRequestBody = 0,
  HttpResponseBody = 1,
  DownstreamData = 2,
  UpstreamData = 3,
  HttpCallResponseBody = 4,
  GrpcReceiveBuffer = 5,
  VmConfiguration = 6,
  PluginConfiguration = 7,
  CallData = 8,
}

/** Directions of a stream for `proxy_continue_stream` and `proxy_close_stream`. */
export enum StreamType {
  HttpRequest = 0,
  HttpResponse = 1,
  Downstream = 2,
  Upstream = 3,
}

/** Kinds of metric for `proxy_define_metric`. */
export enum MetricType {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
}

/** Who closed a TCP connection, as reported to the close callbacks. */
export enum PeerType {
  Unknown = 0,
  Local = 1,
  Remote = 2,
}

/**
 * What a header callback returns; Envoy remaps 1 to 4 and 2 to 0 (reference abi.md 4.3): unless the
 * plugin sets `allow_on_headers_stop_iteration`, StopIteration pauses the stream like
 * StopAllIterationAndWatermark, so no body callback runs until continueRequest/continueResponse.
 */
export enum FilterHeadersStatus {
  Continue = 0,
  /** Becomes StopAllIterationAndWatermark (4) in Envoy unless `allow_on_headers_stop_iteration` is set. */
  StopIteration = 1,
  /** Envoy treats it as Continue. */
  ContinueAndEndStream = 2,
  StopAllIterationAndBuffer = 3,
  StopAllIterationAndWatermark = 4,
}

/** What a body callback returns. */
export enum FilterDataStatus {
  Continue = 0,
  StopIterationAndBuffer = 1,
  StopIterationAndWatermark = 2,
  StopIterationNoBuffer = 3,
}

/** What a trailer callback returns. */
export enum FilterTrailersStatus {
  Continue = 0,
  StopIteration = 1,
}

/** What a metadata callback returns; Envoy treats every value as Continue. */
export enum FilterMetadataStatus {
  Continue = 0,
}

/** What a TCP callback returns; Envoy treats any non-zero value as StopIteration. */
export enum FilterStatus {
  Continue = 0,
  StopIteration = 1,
}

/** gRPC status codes; -1 means "not set" in `proxy_send_local_response`. */
export enum GrpcStatus {
  Ok = 0,
  Canceled = 1,
  Unknown = 2,
  InvalidArgument = 3,
  DeadlineExceeded = 4,
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  OutOfRange = 11,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
  DataLoss = 15,
  Unauthenticated = 16,
  Unset = -1,
}
