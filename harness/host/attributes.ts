// Envoy's attributes as proxy_get_property resolves them (reference abi.md 5.4, 7): typed values,
// their byte encodings, the wrapper maps that cannot be serialized whole, the filter state that
// proxy_set_property writes (`wasm.<name>`), and the defaults a plausible connection has.

import { Status } from "../abi/types.js";
import { ByBytes } from "./by-bytes.js";
import { type HeaderMap } from "./header-map.js";
import { utf8Bytes, utf8Text } from "./header-text.js";
import { serializeBytePairs } from "./pairs.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A property value with the type that decides its encoding (abi.md 5.4). */
export type AttributeValue =
  | { type: "string"; value: string }
  | { type: "bytes"; value: Uint8Array }
  | { type: "int"; value: bigint }
  | { type: "uint"; value: bigint }
  | { type: "double"; value: number }
  | { type: "bool"; value: boolean }
  /** Nanoseconds. */
  | { type: "duration"; value: bigint }
  /** Nanoseconds since the Unix epoch. */
  | { type: "timestamp"; value: bigint }
  | { type: "map"; value: [string, AttributeValue][] };

/**
 * A per-stream attribute override: a plain value is encoded with the type the attribute has in
 * Envoy (a number for `source.port` becomes an int), `null` makes the attribute absent (NotFound).
 */
export type AttributeOverride = string | number | bigint | boolean | Uint8Array | AttributeValue | null;

/** Attribute overrides by dotted name, e.g. `{ "source.address": "10.1.2.3:5555", "connection.mtls": true }`. */
export type AttributeOverrides = Readonly<Record<string, AttributeOverride>>;

// The type of each attribute Envoy defines (abi.md 7.2), so plain overrides encode correctly.
const TYPES: Record<string, AttributeValue["type"]> = {
  "request.time": "timestamp",
  "request.duration": "duration",
  "request.size": "int",
  "request.total_size": "int",
  "response.code": "int",
  "response.flags": "int",
  "response.grpc_status": "int",
  "response.size": "int",
  "response.total_size": "int",
  "response.backend_latency": "duration",
  "source.port": "int",
  "destination.port": "int",
  "connection.id": "uint",
  "connection.mtls": "bool",
  "upstream.port": "int",
  "upstream.request_attempt_count": "uint",
  "upstream.cx_pool_ready_duration": "duration",
  "xds.listener_direction": "int",
  "xds.node": "bytes",
  "xds.cluster_metadata": "bytes",
  "xds.route_metadata": "bytes",
  "xds.virtual_host_metadata": "bytes",
  "xds.upstream_host_metadata": "bytes",
  "xds.listener_metadata": "bytes",
  "upstream.locality": "bytes",
};

/** Turns an override into a typed value (undefined for null: the attribute is absent). */
export function toAttribute(name: string, value: AttributeOverride): AttributeValue | undefined {
  if (value === null) return undefined;
  if (typeof value === "object" && !(value instanceof Uint8Array)) return value;
  const type = TYPES[name];
  if (value instanceof Uint8Array) return { type: "bytes", value };
  if (typeof value === "boolean") return { type: "bool", value };
  if (typeof value === "string") return { type: "string", value };
  if (type === "uint" || type === "int" || type === "duration" || type === "timestamp") {
    return { type, value: BigInt(value) };
  }
  return typeof value === "bigint" ? { type: "int", value } : { type: "double", value };
}

/** Envoy's `serializeValue` (abi.md 5.4). */
export function encodeAttribute(attribute: AttributeValue): Uint8Array {
  return ownBytes(serialize(attribute));
}

// encodeAttribute, except that a 64-bit value comes back in one shared eight-byte buffer, valid
// until the next call: proxy_get_property copies it into the guest at once.
function serialize(attribute: AttributeValue): Uint8Array {
  switch (attribute.type) {
    case "string":
      return utf8Bytes(attribute.value);
    case "bytes":
      return attribute.value;
    case "bool":
      return new Uint8Array([attribute.value ? 1 : 0]);
    case "double": {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setFloat64(0, attribute.value, true);
      return out;
    }
    case "uint":
    case "int":
    case "duration":
    case "timestamp":
      return sixtyFourBits(attribute.value);
    case "map":
      return encodeMap(attribute.value);
  }
}

// A 64-bit integer as Envoy serializes it: eight bytes, little-endian, two's complement (so
// signed and unsigned values share the unsigned store, which wraps modulo 2^64).
function sixtyFourBits(value: bigint): Uint8Array {
  SCRATCH_VIEW.setBigUint64(0, value, true);
  return SCRATCH_BYTES;
}

// The one 64-bit slot every value is converted through: a buffer per value cost more than the value.
const SCRATCH_BYTES = new Uint8Array(8);
const SCRATCH_VIEW = new DataView(SCRATCH_BYTES.buffer);

// Map keys and values are serialized recursively into the pair format (abi.md 5.2).
function encodeMap(entries: [string, AttributeValue][]): Uint8Array {
  return serializeBytePairs(entries.map(([k, v]) => [utf8Bytes(k), encodeAttribute(v)]));
}

// `bytes` in a buffer of its own when it is the shared 64-bit slot.
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes === SCRATCH_BYTES ? bytes.slice() : bytes;
}

/** One filter-state object written with proxy_set_property (or put there by the test). */
export interface FilterStateEntry {
  value: Uint8Array;
  /** A readonly entry may not be written again (BadArgument). */
  readonly: boolean;
}

/**
 * A stream's filter state, keyed as Envoy keys it (`wasm.<name>` for Wasm properties). Pass the
 * same object to several streams to model later filter chains that see earlier writes.
 */
export class FilterState {
  private readonly entries = new Map<string, FilterStateEntry>();

  /** The entry under `key`, or undefined. */
  get(key: string): FilterStateEntry | undefined {
    return this.entries.get(key);
  }

  /** The value under `key` decoded as UTF-8, or undefined. */
  text(key: string): string | undefined {
    const entry = this.entries.get(key);
    return entry ? decoder.decode(entry.value) : undefined;
  }

  /** Stores `value` under `key` (a string is UTF-8 encoded). */
  set(key: string, value: Uint8Array | string, options: { readonly?: boolean } = {}): void {
    const bytes = typeof value === "string" ? encoder.encode(value) : value;
    this.entries.set(key, { value: bytes, readonly: options.readonly ?? false });
  }

  /** Every key, in insertion order. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Writes the way proxy_set_property does: BadArgument when a readonly value already exists. */
  write(key: string, value: Uint8Array): Status {
    const existing = this.entries.get(key);
    if (existing?.readonly) return Status.BadArgument;
    this.entries.set(key, { value, readonly: false });
    return Status.Ok;
  }
}

/** The attribute view a stream offers proxy_get_property. */
export interface AttributeSource {
  /** Attribute `name` (dotted, e.g. "request.path") as it stands now, or undefined when absent. */
  attribute(name: string): AttributeValue | undefined;
  /**
   * Entry `key` of map attribute `name`, as `mapEntry(attribute(name), key)` finds it; a source
   * may find a header without building the whole map.
   */
  attributeEntry?(name: string, key: string): AttributeValue | undefined;
  readonly filterState: FilterState;
}

const str = (value: string): AttributeValue => ({ type: "string", value });
const int = (value: number): AttributeValue => ({ type: "int", value: BigInt(value) });
const bytes = (): AttributeValue => ({ type: "bytes", value: new Uint8Array() });

/** Attribute `name` of a plausible plaintext connection with id `id`, or undefined for another name. */
export function connectionDefault(id: number, name: string): AttributeValue | undefined {
  return name === "connection.id" ? { type: "uint", value: BigInt(id) } : CONNECTION_DEFAULTS.get(name);
}

// The xds attributes that do not need a stream, readable from root contexts too.
const ROOT_XDS_DEFAULTS: Readonly<Record<string, AttributeValue>> = Object.freeze({
  "xds.node": bytes(),
  "xds.listener_metadata": bytes(),
  "xds.listener_direction": int(0),
});

// Every connection shares these values (none of them changes), so they are built once.
const CONNECTION_DEFAULTS: ReadonlyMap<string, AttributeValue> = new Map(
  Object.entries({
    "source.address": str("10.0.0.1:45678"),
    "source.port": int(45678),
    "destination.address": str("10.0.0.2:8080"),
    "destination.port": int(8080),
    "connection.mtls": { type: "bool", value: false },
    "connection.requested_server_name": str(""),
    "upstream.address": str("10.0.0.3:80"),
    "upstream.port": int(80),
    "upstream.local_address": str("10.0.0.2:40000"),
    "upstream.request_attempt_count": { type: "uint", value: 1n },
    "xds.cluster_name": str("upstream"),
    "xds.route_name": str("default"),
    "xds.virtual_host_name": str("default"),
    "xds.filter_chain_name": str(""),
    "xds.cluster_metadata": bytes(),
    "xds.route_metadata": bytes(),
    "xds.virtual_host_metadata": bytes(),
    "xds.upstream_host_metadata": bytes(),
    ...ROOT_XDS_DEFAULTS,
  } satisfies Record<string, AttributeValue>),
);

const WRAPPERS = new Set(["request", "response", "connection", "upstream", "source", "destination", "xds"]);
const STREAM_ONLY = new Set([
  "request",
  "response",
  "connection",
  "upstream",
  "source",
  "destination",
  "metadata",
  "filter_state",
  "upstream_filter_state",
  "connection_id",
]);

/** The plugin identity every context can read. */
export interface PluginIdentity {
  name: string;
  rootId: string;
  vmId: string;
}

/** A property path as the guest sends it, split on NUL, with what resolving it needs worked out once. */
export class PropertyPath {
  /** The first segment ("request", "plugin_name", "connection_id", a filter-state name...). */
  readonly top: string;
  /** The segments after the first. */
  readonly rest: readonly string[];
  /** False when a segment is empty: such a path never resolves. */
  readonly valid: boolean;
  /** "top.second" (the attribute a wrapper path such as request.path names), or "" for a single segment. */
  readonly attributeName: string;
  /** The segments after the second: keys into a map attribute. */
  readonly keys: readonly string[];
  /** The segments after the third: keys into the entry the first key finds. */
  readonly deeperKeys: readonly string[];

  constructor(segments: readonly string[]) {
    this.top = segments[0] ?? "";
    this.rest = segments.slice(1);
    this.valid = this.top !== "" && !this.rest.includes("");
    this.attributeName = this.rest.length > 0 ? `${this.top}.${this.rest[0]}` : "";
    this.keys = this.rest.slice(1);
    this.deeperKeys = this.rest.slice(2);
  }
}

// Guests ask for the same few paths on every request: each is parsed once.
const PATHS = new ByBytes((bytes) => {
  const text = utf8Text(bytes);
  return new PropertyPath((text.endsWith("\0") ? text.slice(0, -1) : text).split("\0"));
});

/**
 * The path the guest's NUL-separated UTF-8 bytes `memory[start, end)` name (a trailing NUL is
 * allowed, as Envoy allows it).
 */
export function propertyPath(memory: Uint8Array, start: number, end: number): PropertyPath {
  return PATHS.get(memory, start, end);
}

/**
 * Resolves a property path the way Envoy does (abi.md 7.1): the encoded value (a 64-bit one in a
 * buffer shared until the next call), or NotFound / SerializationFailure. `stream` is null in root
 * contexts.
 */
export function resolveProperty(
  path: PropertyPath,
  plugin: PluginIdentity,
  stream: AttributeSource | null,
): Uint8Array | Status {
  const { top, rest } = path;
  if (!path.valid) return Status.NotFound;
  const identity = identityValue(top, plugin);
  if (identity !== undefined) return rest.length === 0 ? encoder.encode(identity) : Status.NotFound;
  if (!stream && STREAM_ONLY.has(top)) return Status.NotFound;
  if (top === "connection_id") return lookupIn(stream!.attribute("connection.id"), rest);
  if (WRAPPERS.has(top)) {
    if (rest.length === 0) return Status.SerializationFailure;
    const name = path.attributeName;
    if (stream?.attributeEntry && path.keys.length > 0) {
      return lookupIn(stream.attributeEntry(name, path.keys[0]!), path.deeperKeys);
    }
    const value = stream ? stream.attribute(name) : ROOT_XDS_DEFAULTS[name];
    return lookupIn(value, path.keys);
  }
  if (top === "metadata") return rest.length === 0 ? new Uint8Array() : Status.NotFound;
  if (top === "filter_state" || top === "upstream_filter_state") {
    const state = top === "filter_state" ? stream!.filterState : new FilterState();
    const entries: [string, AttributeValue][] = state
      .keys()
      .map((key) => [key, { type: "bytes", value: state.get(key)!.value }]);
    return lookupIn({ type: "map", value: entries }, rest);
  }
  const entry = stream?.filterState.get(`wasm.${top}`);
  return entry && rest.length === 0 ? entry.value : Status.NotFound;
}

// The plugin_* property `name` names, or undefined for any other name.
function identityValue(name: string, plugin: PluginIdentity): string | undefined {
  switch (name) {
    case "plugin_name":
      return plugin.name;
    case "plugin_root_id":
      return plugin.rootId;
    case "plugin_vm_id":
      return plugin.vmId;
    default:
      return undefined;
  }
}

// Walks the remaining segments into map values; header maps are keyed by lowercase names.
function lookupIn(value: AttributeValue | undefined, rest: readonly string[]): Uint8Array | Status {
  let current = value;
  for (const segment of rest) current = mapEntry(current, segment);
  return current ? serialize(current) : Status.NotFound;
}

/** Entry `key` of a map attribute (an exact key first, then its lower case), or undefined. */
export function mapEntry(value: AttributeValue | undefined, key: string): AttributeValue | undefined {
  if (!value || value.type !== "map") return undefined;
  const entries = value.value;
  return (entries.find(([k]) => k === key) ?? entries.find(([k]) => k === key.toLowerCase()))?.[1];
}

/**
 * Header `key` of a header map as its `request.headers`-style attribute has it (repeated values
 * joined with ","), without building the map: looked up as the map looks up a name, so any case
 * finds it and `host` finds `:authority` in request headers, as in Envoy.
 */
export function headerEntry(headers: HeaderMap, key: string): AttributeValue | undefined {
  const values = headers.getAll(key);
  return values.length === 0 ? undefined : str(values.join(","));
}

/** A header map as the `request.headers`-style attribute: repeated names joined with ",". */
export function headersAttribute(entries: readonly [string, string][]): AttributeValue {
  const joined = new Map<string, string>();
  for (const [k, v] of entries) joined.set(k, joined.has(k) ? `${joined.get(k)},${v}` : v);
  return { type: "map", value: [...joined].map(([k, v]) => [k, str(v)]) };
}
