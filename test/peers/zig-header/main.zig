// A header filter written in Zig straight against the proxy-wasm ABI (no Zig SDK is published in
// any package registry) and built as a wasm32-wasi reactor, so the module has the Zig toolchain's
// shape: `_initialize` from Zig's WASI start code (running `main`), `malloc` exported by hand over
// std.heap.wasm_allocator, and no libc.
//
// Plugin configuration: "<header>: <value>". Each request gets that header set (replacing any
// value the client sent) and a log line naming the request's :path; each response gets
// "x-peer-sdk: zig". A configuration without ": " fails on_configure with a critical line.

const std = @import("std");

extern "env" fn proxy_log(level: u32, message: [*]const u8, size: usize) u32;
extern "env" fn proxy_get_buffer_bytes(buffer: u32, start: usize, length: usize, ptr: *?[*]u8, size: *usize) u32;
extern "env" fn proxy_get_header_map_value(map: u32, key: [*]const u8, key_size: usize, ptr: *?[*]u8, size: *usize) u32;
extern "env" fn proxy_replace_header_map_value(map: u32, key: [*]const u8, key_size: usize, value: [*]const u8, value_size: usize) u32;
extern "env" fn proxy_add_header_map_value(map: u32, key: [*]const u8, key_size: usize, value: [*]const u8, value_size: usize) u32;

const log_info = 2;
const log_critical = 5;
const request_headers = 0;
const response_headers = 2;
const plugin_configuration = 7;
const status_ok = 0;

const allocator = std.heap.wasm_allocator;

// The host frees nothing, and hands back only a pointer, so each block keeps its length in the
// 8 bytes before the pointer malloc returns; release() reads it to give the block back.
const header_words = 1;

export fn malloc(size: usize) ?[*]u8 {
    const words = allocator.alloc(u64, header_words + (size + 7) / 8) catch return null;
    words[0] = words.len;
    return @ptrCast(&words[header_words]);
}

fn release(ptr: ?[*]u8) void {
    const bytes = ptr orelse return;
    const first: [*]u64 = @ptrCast(@alignCast(bytes - 8 * header_words));
    allocator.free(first[0..@intCast(first[0])]);
}

fn log(level: u32, comptime format: []const u8, args: anytype) void {
    var line: [256]u8 = undefined;
    const text = std.fmt.bufPrint(&line, format, args) catch line[0..];
    _ = proxy_log(level, text.ptr, text.len);
}

// Zig's start code exports `_initialize` for a reactor only when the root file has a main; the
// host calls it once per VM, before any callback, when only proxy_log (and WASI) may be called.
pub fn main() void {
    log(log_info, "zig-header: started", .{});
}

var header_name: [64]u8 = undefined;
var header_name_len: usize = 0;
var header_value: [128]u8 = undefined;
var header_value_len: usize = 0;

export fn proxy_abi_version_0_2_1() void {}

export fn proxy_on_context_create(context_id: u32, parent_id: u32) void {
    _ = context_id;
    _ = parent_id;
}

export fn proxy_on_configure(root_id: u32, size: usize) u32 {
    _ = root_id;
    var ptr: ?[*]u8 = null;
    var length: usize = 0;
    if (size > 0 and proxy_get_buffer_bytes(plugin_configuration, 0, size, &ptr, &length) != status_ok) length = 0;
    defer release(ptr);
    const config: []const u8 = if (ptr) |p| p[0..length] else "";
    const colon = std.mem.indexOf(u8, config, ": ") orelse return reject(config);
    const name = config[0..colon];
    const value = config[colon + 2 ..];
    if (name.len == 0 or name.len > header_name.len or value.len > header_value.len) return reject(config);
    for (name, 0..) |c, i| header_name[i] = std.ascii.toLower(c);
    header_name_len = name.len;
    @memcpy(header_value[0..value.len], value);
    header_value_len = value.len;
    log(log_info, "zig-header: will set {s}", .{header_name[0..header_name_len]});
    return 1;
}

fn reject(config: []const u8) u32 {
    log(log_critical, "zig-header: configuration must be \"<header>: <value>\", got \"{s}\"", .{config});
    return 0;
}

export fn proxy_on_request_headers(context_id: u32, headers: u32, end_of_stream: u32) u32 {
    _ = headers;
    _ = end_of_stream;
    const name = header_name[0..header_name_len];
    _ = proxy_replace_header_map_value(request_headers, name.ptr, name.len, &header_value, header_value_len);
    var ptr: ?[*]u8 = null;
    var length: usize = 0;
    const status = proxy_get_header_map_value(request_headers, ":path", 5, &ptr, &length);
    defer release(ptr);
    const path: []const u8 = if (status == status_ok and ptr != null) ptr.?[0..length] else "-";
    log(log_info, "zig-header: request {d} {s} {s}={s}", .{ context_id, path, name, header_value[0..header_value_len] });
    return 0;
}

export fn proxy_on_response_headers(context_id: u32, headers: u32, end_of_stream: u32) u32 {
    _ = context_id;
    _ = headers;
    _ = end_of_stream;
    _ = proxy_add_header_map_value(response_headers, "x-peer-sdk", 10, "zig", 3);
    return 0;
}
