// Every host function of proxy-wasm ABI v0.2.1 that Envoy registers, with Envoy's exact wasm
// types (reference abi.md 3.12). This is the only file in the project that declares imports;
// the compiler emits an import only when something calls it. Pointers and sizes are guest
// addresses; results are `Status` numbers. Only `hostcalls.ts` should call these.

// ---- logging, time, status (abi.md 3.1)

/** Writes a log line at `level` (0-5) from UTF-8 bytes. */
@external("env", "proxy_log")
export declare function proxy_log(level: u32, messagePtr: usize, messageSize: usize): u32;

/** Writes Envoy's `wasm` logger level (0-6) to `levelPtr`. */
@external("env", "proxy_get_log_level")
export declare function proxy_get_log_level(levelPtr: usize): u32;

/** Writes the wall clock in nanoseconds since the epoch (u64) to `timePtr`. */
@external("env", "proxy_get_current_time_nanoseconds")
export declare function proxy_get_current_time_nanoseconds(timePtr: usize): u32;

/** Sets the root context's tick period; 0 disables ticks. */
@external("env", "proxy_set_tick_period_milliseconds")
export declare function proxy_set_tick_period_milliseconds(periodMs: u32): u32;

/** Writes the root context's last callout status code and message. */
@external("env", "proxy_get_status")
export declare function proxy_get_status(codePtr: usize, messagePtrPtr: usize, messageSizePtr: usize): u32;

// ---- header, trailer and metadata maps (abi.md 3.2)

/** Writes the first value of header `key` in map `mapType`. */
@external("env", "proxy_get_header_map_value")
export declare function proxy_get_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  valuePtrPtr: usize,
  valueSizePtr: usize,
): u32;

/** Writes every pair of map `mapType`, serialized as in abi.md 5.2. */
@external("env", "proxy_get_header_map_pairs")
export declare function proxy_get_header_map_pairs(mapType: u32, pairsPtrPtr: usize, pairsSizePtr: usize): u32;

/** Replaces every pair of map `mapType` with the serialized pairs given. */
@external("env", "proxy_set_header_map_pairs")
export declare function proxy_set_header_map_pairs(mapType: u32, pairsPtr: usize, pairsSize: usize): u32;

/** Adds a value for `key` in map `mapType`. */
@external("env", "proxy_add_header_map_value")
export declare function proxy_add_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
): u32;

/** Sets the only value for `key` in map `mapType`. */
@external("env", "proxy_replace_header_map_value")
export declare function proxy_replace_header_map_value(
  mapType: u32,
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
): u32;

/** Removes every value for `key` in map `mapType`. */
@external("env", "proxy_remove_header_map_value")
export declare function proxy_remove_header_map_value(mapType: u32, keyPtr: usize, keySize: usize): u32;

/** Writes the byte size (keys plus values) of map `mapType`. */
@external("env", "proxy_get_header_map_size")
export declare function proxy_get_header_map_size(mapType: u32, sizePtr: usize): u32;

// ---- buffers (abi.md 3.3)

/** Writes up to `maxSize` bytes of buffer `bufferType` from `start`. */
@external("env", "proxy_get_buffer_bytes")
export declare function proxy_get_buffer_bytes(
  bufferType: u32,
  start: u32,
  maxSize: u32,
  dataPtrPtr: usize,
  dataSizePtr: usize,
): u32;

/** Writes the length and flags of buffer `bufferType`. */
@external("env", "proxy_get_buffer_status")
export declare function proxy_get_buffer_status(bufferType: u32, lengthPtr: usize, flagsPtr: usize): u32;

/** Replaces `size` bytes at `start` of buffer `bufferType` (Envoy: prepend at 0, append at end). */
@external("env", "proxy_set_buffer_bytes")
export declare function proxy_set_buffer_bytes(
  bufferType: u32,
  start: u32,
  size: u32,
  dataPtr: usize,
  dataSize: usize,
): u32;

// ---- stream control and local replies (abi.md 3.4)

/** Resumes a paused direction of the current stream after the callback returns. */
@external("env", "proxy_continue_stream")
export declare function proxy_continue_stream(streamType: u32): u32;

/** Resets or closes a direction of the current stream after the callback returns. */
@external("env", "proxy_close_stream")
export declare function proxy_close_stream(streamType: u32): u32;

/** Answers the current HTTP stream locally after the callback returns. */
@external("env", "proxy_send_local_response")
export declare function proxy_send_local_response(
  statusCode: u32,
  detailsPtr: usize,
  detailsSize: usize,
  bodyPtr: usize,
  bodySize: usize,
  headersPtr: usize,
  headersSize: usize,
  grpcStatus: i32,
): u32;

// ---- callouts (abi.md 3.5)

/** Sends an HTTP request to cluster `upstream`; the answer reaches the root context. */
@external("env", "proxy_http_call")
export declare function proxy_http_call(
  upstreamPtr: usize,
  upstreamSize: usize,
  headersPtr: usize,
  headersSize: usize,
  bodyPtr: usize,
  bodySize: usize,
  trailersPtr: usize,
  trailersSize: usize,
  timeoutMs: u32,
  tokenPtr: usize,
): u32;

/** Starts a unary gRPC call; the answer reaches the root context. */
@external("env", "proxy_grpc_call")
export declare function proxy_grpc_call(
  upstreamPtr: usize,
  upstreamSize: usize,
  servicePtr: usize,
  serviceSize: usize,
  methodPtr: usize,
  methodSize: usize,
  initialMetadataPtr: usize,
  initialMetadataSize: usize,
  messagePtr: usize,
  messageSize: usize,
  timeoutMs: u32,
  tokenPtr: usize,
): u32;

/** Opens a gRPC stream; its events reach the root context. */
@external("env", "proxy_grpc_stream")
export declare function proxy_grpc_stream(
  upstreamPtr: usize,
  upstreamSize: usize,
  servicePtr: usize,
  serviceSize: usize,
  methodPtr: usize,
  methodSize: usize,
  initialMetadataPtr: usize,
  initialMetadataSize: usize,
  tokenPtr: usize,
): u32;

/** Sends a message on gRPC stream `token`. */
@external("env", "proxy_grpc_send")
export declare function proxy_grpc_send(token: u32, messagePtr: usize, messageSize: usize, endStream: u32): u32;

/** Cancels gRPC call or stream `token`. */
@external("env", "proxy_grpc_cancel")
export declare function proxy_grpc_cancel(token: u32): u32;

/** Half-closes gRPC stream `token` (cancels a unary call). */
@external("env", "proxy_grpc_close")
export declare function proxy_grpc_close(token: u32): u32;

// ---- shared data and queues (abi.md 3.6)

/** Writes the value and CAS of shared-data `key`. */
@external("env", "proxy_get_shared_data")
export declare function proxy_get_shared_data(
  keyPtr: usize,
  keySize: usize,
  valuePtrPtr: usize,
  valueSizePtr: usize,
  casPtr: usize,
): u32;

/** Stores shared-data `key`; a non-zero `cas` must match the stored one. */
@external("env", "proxy_set_shared_data")
export declare function proxy_set_shared_data(
  keyPtr: usize,
  keySize: usize,
  valuePtr: usize,
  valueSize: usize,
  cas: u32,
): u32;

/** Creates or reopens the shared queue `name` and makes this root its listener. */
@external("env", "proxy_register_shared_queue")
export declare function proxy_register_shared_queue(namePtr: usize, nameSize: usize, tokenPtr: usize): u32;

/** Finds the shared queue `name` of VM `vmId`. */
@external("env", "proxy_resolve_shared_queue")
export declare function proxy_resolve_shared_queue(
  vmIdPtr: usize,
  vmIdSize: usize,
  namePtr: usize,
  nameSize: usize,
  tokenPtr: usize,
): u32;

/** Appends an item to shared queue `token`. */
@external("env", "proxy_enqueue_shared_queue")
export declare function proxy_enqueue_shared_queue(token: u32, dataPtr: usize, dataSize: usize): u32;

/** Pops the oldest item of shared queue `token`. */
@external("env", "proxy_dequeue_shared_queue")
export declare function proxy_dequeue_shared_queue(token: u32, dataPtrPtr: usize, dataSizePtr: usize): u32;

// ---- metrics (abi.md 3.7)

/** Defines (or reuses) a metric and writes its id. */
@external("env", "proxy_define_metric")
export declare function proxy_define_metric(metricType: u32, namePtr: usize, nameSize: usize, idPtr: usize): u32;

/** Adds `offset` to a counter or gauge. */
@external("env", "proxy_increment_metric")
export declare function proxy_increment_metric(metricId: u32, offset: i64): u32;

/** Adds to a counter, sets a gauge or records a histogram sample. */
@external("env", "proxy_record_metric")
export declare function proxy_record_metric(metricId: u32, value: u64): u32;

/** Writes a counter's or gauge's value (u64). */
@external("env", "proxy_get_metric")
export declare function proxy_get_metric(metricId: u32, valuePtr: usize): u32;

// ---- properties (abi.md 3.8)

/** Writes the value of the property at the NUL-separated `path`. */
@external("env", "proxy_get_property")
export declare function proxy_get_property(
  pathPtr: usize,
  pathSize: usize,
  valuePtrPtr: usize,
  valueSizePtr: usize,
): u32;

/** Stores a value in the stream's filter state under `wasm.<path>`. */
@external("env", "proxy_set_property")
export declare function proxy_set_property(pathPtr: usize, pathSize: usize, valuePtr: usize, valueSize: usize): u32;

// ---- contexts and foreign functions (abi.md 3.9)

/** Makes later host calls in this callback act on context `contextId`. */
@external("env", "proxy_set_effective_context")
export declare function proxy_set_effective_context(contextId: u32): u32;

/** Tells the host a root context that deferred its shutdown has finished. */
@external("env", "proxy_done")
export declare function proxy_done(): u32;

/** Calls host extension `name` with `args` and writes its result. */
@external("env", "proxy_call_foreign_function")
export declare function proxy_call_foreign_function(
  namePtr: usize,
  nameSize: usize,
  argsPtr: usize,
  argsSize: usize,
  resultPtrPtr: usize,
  resultSizePtr: usize,
): u32;

// ---- WASI functions Envoy provides (abi.md 9)

/** Fills `length` bytes at `bufferPtr` with random bytes (Envoy: BoringSSL; at most 65536 per call); returns a WASI errno. */
@external("wasi_snapshot_preview1", "random_get")
export declare function random_get(bufferPtr: usize, length: usize): u32;
