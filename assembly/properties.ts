// Envoy's attributes (reference abi.md 5.3, 5.4, 7): a path is a list of segments (dots are not
// separators), values come back in Envoy's encodings (ints as 8 bytes LE, bools as 1 byte, maps
// in the pair format). Request and response attributes need a stream, and header-derived ones
// follow the header windows: read them in onRequestHeaders or onLog. Absent is null.

import * as host from "./abi/hostcalls";
import { deserializeHeaders } from "./abi/serde";
import { SLOT_C } from "./abi/slots";
import { Header } from "./header";
import { Status } from "./types";

/** A number or bool read from a property; a class so that "absent" can be null. */
export class Scalar<T> {
  constructor(
    /** The decoded value. */
    public readonly value: T,
  ) {}
}

/** Returns the raw bytes of the property at `path`, or null when it is absent (NotFound) or not serializable. */
export function getProperty(path: Array<string>): ArrayBuffer | null {
  return host.getProperty(path);
}

/** Returns the status Envoy answers for `path`: Ok, NotFound, or SerializationFailure for a whole wrapper such as ["request"]. */
export function propertyStatus(path: Array<string>): Status {
  return host.getPropertyStatus(path);
}

/** Returns the string property at `path` (decoded as UTF-8), or null when absent. */
export function getPropertyString(path: Array<string>): string | null {
  return host.getPropertyText(path);
}

/** Returns the int property at `path`, or null when absent or not 8 bytes. */
export function getPropertyI64(path: Array<string>): Scalar<i64> | null {
  return host.getPropertyScalar(path, 8) ? new Scalar<i64>(load<i64>(SLOT_C)) : null;
}

/** Returns the int property at `path`, or `absent` when it is absent or not 8 bytes; unlike getPropertyI64 it allocates no result object. */
export function getPropertyI64Or(path: Array<string>, absent: i64): i64 {
  return host.getPropertyScalar(path, 8) ? load<i64>(SLOT_C) : absent;
}

/** Returns the uint property at `path`, or null when absent or not 8 bytes. */
export function getPropertyU64(path: Array<string>): Scalar<u64> | null {
  return host.getPropertyScalar(path, 8) ? new Scalar<u64>(load<u64>(SLOT_C)) : null;
}

/** Returns the uint property at `path`, or `absent` when it is absent or not 8 bytes; unlike getPropertyU64 it allocates no result object. */
export function getPropertyU64Or(path: Array<string>, absent: u64): u64 {
  return host.getPropertyScalar(path, 8) ? load<u64>(SLOT_C) : absent;
}

/** Returns the double property at `path`, or null when absent or not 8 bytes. */
export function getPropertyF64(path: Array<string>): Scalar<f64> | null {
  return host.getPropertyScalar(path, 8) ? new Scalar<f64>(load<f64>(SLOT_C)) : null;
}

/** Returns the bool property at `path`, or null when absent or not 1 byte. */
export function getPropertyBool(path: Array<string>): Scalar<bool> | null {
  return host.getPropertyScalar(path, 1) ? new Scalar<bool>(load<u8>(SLOT_C) != 0) : null;
}

/** Returns the bool property at `path`, or `absent` when it is absent or not 1 byte; unlike getPropertyBool it allocates no result object. */
export function getPropertyBoolOr(path: Array<string>, absent: bool): bool {
  return host.getPropertyScalar(path, 1) ? load<u8>(SLOT_C) != 0 : absent;
}

/** Returns a timestamp property at `path` in nanoseconds since the Unix epoch, or null when absent. */
export function getPropertyTimestamp(path: Array<string>): Scalar<i64> | null {
  return getPropertyI64(path);
}

/** Returns a duration property at `path` in nanoseconds, or null when absent. */
export function getPropertyDuration(path: Array<string>): Scalar<i64> | null {
  return getPropertyI64(path);
}

/** Returns a map property at `path` (e.g. ["request", "headers"]) as pairs, or null when absent. */
export function getPropertyMap(path: Array<string>): Array<Header> | null {
  const bytes = host.getProperty(path);
  if (bytes == null) return null;
  return deserializeHeaders(changetype<usize>(bytes), <usize>bytes.byteLength);
}

/**
 * Stores `value` in the stream's filter state as `wasm.<name>`, readable back with
 * getProperty([name]) and by later filters; NotFound outside a stream (a root callback),
 * BadArgument when the existing value is readonly.
 */
export function setProperty(name: string, value: ArrayBuffer): Status {
  return host.setProperty(name, value);
}

/** Stores `value` as UTF-8 in the stream's filter state as `wasm.<name>` (see setProperty). */
export function setPropertyString(name: string, value: string): Status {
  return host.setProperty(name, String.UTF8.encode(value));
}

/** Returns the request's `:path` (with query), or null outside the request headers' window. */
export function requestPath(): string | null {
  return getPropertyString(["request", "path"]);
}

/** Returns the request method, or null outside the request headers' window. */
export function requestMethod(): string | null {
  return getPropertyString(["request", "method"]);
}

/** Returns the request's `:authority`, or null outside the request headers' window. */
export function requestHost(): string | null {
  return getPropertyString(["request", "host"]);
}

/** Returns request header `name` (repeated values joined with ","), or null when absent or outside the window. */
export function requestHeader(name: string): string | null {
  return getPropertyString(["request", "headers", name]);
}

/** Returns every request header (repeated values joined with ","), or null outside the window. */
export function requestHeaders(): Array<Header> | null {
  return getPropertyMap(["request", "headers"]);
}

/** Returns the downstream peer's address as `ip:port`, or null in a root context. */
export function sourceAddress(): string | null {
  return getPropertyString(["source", "address"]);
}

/** Returns the downstream peer's port, or 0 in a root context. */
export function sourcePort(): i64 {
  const port = getPropertyI64(["source", "port"]);
  return port == null ? 0 : port.value;
}

/** Returns true when the connection used TLS and the peer presented a certificate (false when unknown). */
export function connectionMtls(): bool {
  const mtls = getPropertyBool(["connection", "mtls"]);
  return mtls != null && mtls.value;
}

/** Returns the first URI SAN of the peer certificate (e.g. a SPIFFE id), or null without TLS. */
export function uriSanPeerCertificate(): string | null {
  return getPropertyString(["connection", "uri_san_peer_certificate"]);
}

/** Returns the response status code, or 0 before one exists. */
export function responseCode(): i64 {
  const code = getPropertyI64(["response", "code"]);
  return code == null ? 0 : code.value;
}

/** Returns the plugin's name (PluginConfig.name); readable from every context. */
export function pluginName(): string {
  const name = getPropertyString(["plugin_name"]);
  return name == null ? "" : name;
}

/** Returns the plugin's root id (PluginConfig.root_id, "" when unset); readable from every context. */
export function pluginRootId(): string {
  const id = getPropertyString(["plugin_root_id"]);
  return id == null ? "" : id;
}

/** Returns the VM id (VmConfig.vm_id, "" when unset); readable from every context. */
export function pluginVmId(): string {
  const id = getPropertyString(["plugin_vm_id"]);
  return id == null ? "" : id;
}
