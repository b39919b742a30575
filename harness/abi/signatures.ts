// The wasm signatures Envoy checks at load time (reference abi.md 3.12 and 4): host functions it
// registers (with the ABI versions that get them) and the callbacks it looks up.

/** The ABI versions a module can declare through its `proxy_abi_version_*` marker export. */
export type AbiVersion = "0.1.0" | "0.2.0" | "0.2.1";

/** A host function Envoy registers: its wasm signature and which ABI versions get it. */
export interface HostFunctionSpec {
  signature: string;
  versions: readonly AbiVersion[];
}

const ALL: readonly AbiVersion[] = ["0.1.0", "0.2.0", "0.2.1"];
const V01: readonly AbiVersion[] = ["0.1.0"];
const V02: readonly AbiVersion[] = ["0.2.0", "0.2.1"];
const V021: readonly AbiVersion[] = ["0.2.1"];

const env = (signature: string, versions: readonly AbiVersion[] = ALL): HostFunctionSpec => ({ signature, versions });

/** Every `env` function Envoy registers, by name. */
export const ENV_FUNCTIONS: Readonly<Record<string, HostFunctionSpec>> = {
  proxy_log: env("(i32,i32,i32)->i32"),
  proxy_get_log_level: env("(i32)->i32", V021),
  proxy_get_current_time_nanoseconds: env("(i32)->i32"),
  proxy_set_tick_period_milliseconds: env("(i32)->i32"),
  proxy_get_status: env("(i32,i32,i32)->i32"),
  proxy_get_configuration: env("(i32,i32)->i32", V01),
  proxy_get_header_map_value: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_get_header_map_pairs: env("(i32,i32,i32)->i32"),
  proxy_set_header_map_pairs: env("(i32,i32,i32)->i32"),
  proxy_add_header_map_value: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_replace_header_map_value: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_remove_header_map_value: env("(i32,i32,i32)->i32"),
  proxy_get_header_map_size: env("(i32,i32)->i32"),
  proxy_get_buffer_bytes: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_get_buffer_status: env("(i32,i32,i32)->i32"),
  proxy_set_buffer_bytes: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_continue_stream: env("(i32)->i32", V02),
  proxy_close_stream: env("(i32)->i32", V02),
  proxy_continue_request: env("()->i32", V01),
  proxy_continue_response: env("()->i32", V01),
  proxy_clear_route_cache: env("()->i32", V01),
  proxy_send_local_response: env("(i32,i32,i32,i32,i32,i32,i32,i32)->i32"),
  proxy_http_call: env("(i32,i32,i32,i32,i32,i32,i32,i32,i32,i32)->i32"),
  proxy_grpc_call: env("(i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32,i32)->i32"),
  proxy_grpc_stream: env("(i32,i32,i32,i32,i32,i32,i32,i32,i32)->i32"),
  proxy_grpc_send: env("(i32,i32,i32,i32)->i32"),
  proxy_grpc_cancel: env("(i32)->i32"),
  proxy_grpc_close: env("(i32)->i32"),
  proxy_get_shared_data: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_set_shared_data: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_register_shared_queue: env("(i32,i32,i32)->i32"),
  proxy_resolve_shared_queue: env("(i32,i32,i32,i32,i32)->i32"),
  proxy_enqueue_shared_queue: env("(i32,i32,i32)->i32"),
  proxy_dequeue_shared_queue: env("(i32,i32,i32)->i32"),
  proxy_define_metric: env("(i32,i32,i32,i32)->i32"),
  proxy_increment_metric: env("(i32,i64)->i32"),
  proxy_record_metric: env("(i32,i64)->i32"),
  proxy_get_metric: env("(i32,i32)->i32"),
  proxy_get_property: env("(i32,i32,i32,i32)->i32"),
  proxy_set_property: env("(i32,i32,i32,i32)->i32"),
  proxy_set_effective_context: env("(i32)->i32"),
  proxy_done: env("()->i32"),
  proxy_call_foreign_function: env("(i32,i32,i32,i32,i32,i32)->i32"),
  envoy_resolve_dns: env("(i32,i32,i32)->i32"),
  pthread_equal: env("(i32,i32)->i32"),
  emscripten_notify_memory_growth: env("(i32)->"),
};

/** Every WASI function Envoy registers (under both `wasi_snapshot_preview1` and `wasi_unstable`). */
export const WASI_FUNCTIONS: Readonly<Record<string, string>> = {
  fd_write: "(i32,i32,i32,i32)->i32",
  fd_pwrite: "(i32,i32,i32,i64,i32)->i32",
  fd_read: "(i32,i32,i32,i32)->i32",
  fd_pread: "(i32,i32,i32,i64,i32)->i32",
  fd_seek: "(i32,i64,i32,i32)->i32",
  fd_close: "(i32)->i32",
  fd_fdstat_get: "(i32,i32)->i32",
  fd_fdstat_set_flags: "(i32,i32)->i32",
  fd_fdstat_set_rights: "(i32,i64,i64)->i32",
  fd_prestat_get: "(i32,i32)->i32",
  fd_prestat_dir_name: "(i32,i32,i32)->i32",
  fd_filestat_get: "(i32,i32)->i32",
  fd_advise: "(i32,i64,i64,i32)->i32",
  fd_allocate: "(i32,i64,i64)->i32",
  fd_datasync: "(i32)->i32",
  fd_sync: "(i32)->i32",
  fd_filestat_set_size: "(i32,i64)->i32",
  fd_filestat_set_times: "(i32,i64,i64,i32)->i32",
  fd_readdir: "(i32,i32,i32,i64,i32)->i32",
  fd_renumber: "(i32,i32)->i32",
  fd_tell: "(i32,i32)->i32",
  path_open: "(i32,i32,i32,i32,i32,i64,i64,i32,i32)->i32",
  path_create_directory: "(i32,i32,i32)->i32",
  path_filestat_get: "(i32,i32,i32,i32,i32)->i32",
  path_filestat_set_times: "(i32,i32,i32,i32,i64,i64,i32)->i32",
  path_link: "(i32,i32,i32,i32,i32,i32,i32)->i32",
  path_readlink: "(i32,i32,i32,i32,i32,i32)->i32",
  path_remove_directory: "(i32,i32,i32)->i32",
  path_rename: "(i32,i32,i32,i32,i32,i32)->i32",
  path_symlink: "(i32,i32,i32,i32,i32)->i32",
  path_unlink_file: "(i32,i32,i32)->i32",
  environ_sizes_get: "(i32,i32)->i32",
  environ_get: "(i32,i32)->i32",
  args_sizes_get: "(i32,i32)->i32",
  args_get: "(i32,i32)->i32",
  clock_time_get: "(i32,i64,i32)->i32",
  clock_res_get: "(i32,i32)->i32",
  random_get: "(i32,i32)->i32",
  sched_yield: "()->i32",
  poll_oneoff: "(i32,i32,i32,i32)->i32",
  proc_exit: "(i32)->",
  sock_accept: "(i32,i32,i32)->i32",
  sock_recv: "(i32,i32,i32,i32,i32,i32)->i32",
  sock_send: "(i32,i32,i32,i32,i32)->i32",
  sock_shutdown: "(i32,i32)->i32",
};

/** The module names WASI functions are registered under. */
export const WASI_MODULES = ["wasi_snapshot_preview1", "wasi_unstable"] as const;

/** The callbacks Envoy looks up in a module of ABI `version`, with the signature each must have. */
export function callbacksFor(version: AbiVersion): Readonly<Record<string, string>> {
  if (version !== "0.1.0") return CALLBACKS_V02;
  const v01 = { ...CALLBACKS_V02, ...CALLBACKS_V01_HEADERS };
  delete (v01 as Record<string, string>)["proxy_on_foreign_function"];
  return v01;
}

// In v0.1.0 the header callbacks have no end_of_stream parameter.
const CALLBACKS_V01_HEADERS: Readonly<Record<string, string>> = {
  proxy_on_request_headers: "(i32,i32)->i32",
  proxy_on_response_headers: "(i32,i32)->i32",
};

/** The callbacks Envoy looks up in a v0.2.x module, with the signature each must have. */
export const CALLBACKS_V02: Readonly<Record<string, string>> = {
  malloc: "(i32)->i32",
  proxy_on_memory_allocate: "(i32)->i32",
  _initialize: "()->",
  _start: "()->",
  main: "(i32,i32)->i32",
  __main_void: "()->i32",
  proxy_on_context_create: "(i32,i32)->",
  proxy_on_vm_start: "(i32,i32)->i32",
  proxy_validate_configuration: "(i32,i32)->i32",
  proxy_on_configure: "(i32,i32)->i32",
  proxy_on_tick: "(i32)->",
  proxy_on_queue_ready: "(i32,i32)->",
  proxy_on_foreign_function: "(i32,i32,i32)->",
  proxy_on_done: "(i32)->i32",
  proxy_on_log: "(i32)->",
  proxy_on_delete: "(i32)->",
  proxy_on_request_headers: "(i32,i32,i32)->i32",
  proxy_on_request_body: "(i32,i32,i32)->i32",
  proxy_on_request_trailers: "(i32,i32)->i32",
  proxy_on_request_metadata: "(i32,i32)->i32",
  proxy_on_response_headers: "(i32,i32,i32)->i32",
  proxy_on_response_body: "(i32,i32,i32)->i32",
  proxy_on_response_trailers: "(i32,i32)->i32",
  proxy_on_response_metadata: "(i32,i32)->i32",
  proxy_on_new_connection: "(i32)->i32",
  proxy_on_downstream_data: "(i32,i32,i32)->i32",
  proxy_on_upstream_data: "(i32,i32,i32)->i32",
  proxy_on_downstream_connection_close: "(i32,i32)->",
  proxy_on_upstream_connection_close: "(i32,i32)->",
  proxy_on_http_call_response: "(i32,i32,i32,i32,i32)->",
  proxy_on_grpc_receive_initial_metadata: "(i32,i32,i32)->",
  proxy_on_grpc_receive: "(i32,i32,i32)->",
  proxy_on_grpc_receive_trailing_metadata: "(i32,i32,i32)->",
  proxy_on_grpc_close: "(i32,i32,i32)->",
  envoy_on_resolve_dns: "(i32,i32,i32)->",
  envoy_on_stats_update: "(i32,i32)->",
};
