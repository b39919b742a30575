// Envoy's attributes (reference abi.md 7.2) as CEL values for the evaluator in ./cel: each one is
// read from the host only when an expression reaches it, with the type Envoy gives it, and the
// header maps are read one header at a time. `jwt.claims` are the claims the jwt-authn filter
// verified, published as JSON in the stream's filter state.

import { getPropertyScalar } from "./abi/hostcalls";
import { SLOT_C } from "./abi/slots";
import { asciiLowerCase } from "./ascii-case";
import { requestHeaderKey } from "./header";
import { CelResolver } from "./cel/evaluator";
import { CelMap, CelMapValue } from "./cel/map";
import {
  CEL_NULL,
  CelDouble,
  CelDuration,
  CelError,
  CelList,
  CelString,
  CelTimestamp,
  CelUint,
  CelValue,
  celBool,
  celInt,
} from "./cel/value";
import { JsonKind, JsonValue } from "./json/value";
import { verifiedJwtClaims } from "./jwt-claims";
import { getPropertyMap, getPropertyString } from "./properties";

/** The filter-state property under which jwt-authn publishes the request principal `<iss>/<sub>` (UTF-8 text). */
export const JWT_PRINCIPAL_PROPERTY = "envoy_as.jwt.principal";

const enum AttributeType {
  String,
  Int,
  Uint,
  Bool,
  Timestamp,
  Duration,
}

// A leaf attribute's type and its property path: the name split on its first dot (abi.md 5.3).
class Leaf {
  readonly path: Array<string>;

  constructor(
    readonly name: string,
    readonly type: AttributeType,
  ) {
    const dot = name.indexOf(".");
    this.path = dot < 0 ? [name] : [name.substring(0, dot), name.substring(dot + 1)];
  }
}

function typed(types: Map<string, Leaf>, type: AttributeType, names: string): void {
  const list = names.split(" ");
  for (let i = 0; i < list.length; i++) types.set(list[i], new Leaf(list[i], type));
}

// Built on first use, so a filter that never resolves attributes carries none of this.
function attributeTypes(): Map<string, Leaf> {
  const types = new Map<string, Leaf>();
  typed(
    types,
    AttributeType.String,
    "request.path request.url_path request.host request.scheme request.method request.referer " +
      "request.useragent request.id request.protocol request.query response.code_details " +
      "source.address destination.address connection.requested_server_name connection.tls_version " +
      "connection.subject_local_certificate connection.subject_peer_certificate " +
      "connection.dns_san_local_certificate connection.dns_san_peer_certificate " +
      "connection.uri_san_local_certificate connection.uri_san_peer_certificate " +
      "connection.sha256_peer_certificate_digest connection.transport_failure_reason " +
      "connection.termination_details upstream.address upstream.local_address upstream.tls_version " +
      "upstream.transport_failure_reason xds.cluster_name xds.route_name xds.virtual_host_name " +
      "xds.filter_chain_name plugin_name plugin_root_id plugin_vm_id",
  );
  typed(
    types,
    AttributeType.Int,
    "request.size request.total_size response.code response.flags response.grpc_status response.size " +
      "response.total_size source.port destination.port upstream.port xds.listener_direction",
  );
  typed(types, AttributeType.Uint, "connection.id upstream.request_attempt_count");
  typed(types, AttributeType.Bool, "connection.mtls");
  typed(types, AttributeType.Timestamp, "request.time");
  typed(types, AttributeType.Duration, "request.duration response.backend_latency upstream.cx_pool_ready_duration");
  return types;
}


@lazy const TYPES = attributeTypes();

const NANOS_PER_SECOND: i64 = 1_000_000_000;

/** The error an attribute Envoy does not have now evaluates to. */
export function noSuchAttribute(name: string): CelError {
  return new CelError("no such attribute: " + name);
}

// One typed leaf attribute, read from the host.
function readLeaf(leaf: Leaf): CelValue {
  const type = leaf.type;
  if (type == AttributeType.String) {
    const text = getPropertyString(leaf.path);
    return text == null ? noSuchAttribute(leaf.name) : new CelString(text);
  }
  if (!getPropertyScalar(leaf.path, type == AttributeType.Bool ? 1 : 8)) return noSuchAttribute(leaf.name);
  if (type == AttributeType.Bool) return celBool(load<u8>(SLOT_C) != 0);
  const value = load<i64>(SLOT_C);
  if (type == AttributeType.Int) return celInt(value);
  if (type == AttributeType.Uint) return new CelUint(<u64>value);
  if (type == AttributeType.Duration) return new CelDuration(value);
  let seconds = value / NANOS_PER_SECOND;
  let nanos = value % NANOS_PER_SECOND;
  if (nanos < 0) {
    seconds -= 1;
    nanos += NANOS_PER_SECOND;
  }
  return new CelTimestamp(seconds, <i32>nanos);
}

/**
 * A request or response header map (or the response trailers) that reads one header per lookup
 * and remembers the last one it read; use one while the headers cannot change.
 */
export class HeaderAttributeMap extends CelMap {
  private all: CelMapValue | null = null;
  // The header read last, and its value (null when absent).
  private lastName: string | null = null;
  private lastValue: CelValue | null = null;

  constructor(
    /** The wrapper, "request" or "response". */
    private readonly scope: string,
    /** The map, "headers" or "trailers". */
    private readonly map: string,
  ) {
    super();
  }

  /** The number of headers (reads the whole map). */
  size(): i32 {
    return this.whole().size();
  }

  /**
   * The value of header `key` (names are case-insensitive; repeated values comma-joined; `host` is
   * `:authority` in request headers, as Envoy looks it up), or null.
   */
  getString(key: string): CelValue | null {
    const name = asciiLowerCase(key);
    if (this.all == null) {
      if (this.lastName == name) return this.lastValue;
      const text = getPropertyString([this.scope, this.map, name]);
      const value: CelValue | null = text == null ? null : new CelString(text);
      this.lastName = name;
      this.lastValue = value;
      return value;
    }
    const requestHeaders = this.scope == "request" && this.map == "headers";
    return this.all!.getString(requestHeaders ? requestHeaderKey(name) : name);
  }

  /** The value under a string key, or null for any other key. */
  get(key: CelValue): CelValue | null {
    return key instanceof CelString ? this.getString(changetype<CelString>(key).value) : null;
  }

  /** Every header name (reads the whole map). */
  keys(): CelValue[] {
    return this.whole().keys();
  }

  private whole(): CelMapValue {
    if (this.all != null) return this.all!;
    const map = new CelMapValue();
    const headers = getPropertyMap([this.scope, this.map]);
    if (headers != null) {
      for (let i = 0; i < headers.length; i++) {
        const name = new CelString(headers[i].name);
        const existing = map.getString(headers[i].name);
        if (existing == null) map.put(name, new CelString(headers[i].value));
      }
    }
    this.all = map;
    return map;
  }
}

/** Converts a JSON value to CEL as google.protobuf.Value does: numbers are doubles. */
export function jsonToCel(value: JsonValue): CelValue {
  switch (value.kind) {
    case JsonKind.Null:
      return CEL_NULL;
    case JsonKind.Bool:
      return celBool(value.bool);
    case JsonKind.Number:
      return new CelDouble(value.number);
    case JsonKind.String:
      return new CelString(value.string);
    case JsonKind.Array: {
      const items = new Array<CelValue>(value.elements.length);
      for (let i = 0; i < items.length; i++) items[i] = jsonToCel(value.elements[i]);
      return new CelList(items);
    }
    default: {
      const map = new CelMapValue();
      for (let i = 0; i < value.keys.length; i++) {
        const key = value.keys[i];
        map.put(new CelString(key), jsonToCel(value.members.get(key)));
      }
      return map;
    }
  }
}

function jwtClaims(): CelValue {
  const parsed = verifiedJwtClaims();
  if (parsed == null) return noSuchAttribute("jwt.claims");
  if (parsed.value == null) return new CelError("jwt.claims is not JSON: " + parsed.error);
  return jsonToCel(parsed.value!);
}

/**
 * Resolves Envoy's attribute names (`request.*`, `response.*`, `source.*`, `destination.*`,
 * `connection.*`, `upstream.*`, `xds.*`, `plugin_*`) and `jwt.claims` from the host, lazily; an
 * attribute Envoy does not have now (NotFound) evaluates to an error. Use one per evaluation.
 */
export class EnvoyAttributes extends CelResolver {
  private claims: CelValue | null = null;

  /** The attribute `name`, or null when the name is not an attribute (the evaluator then tries a shorter one). */
  resolve(name: string): CelValue | null {
    if (name == "jwt.claims") {
      if (this.claims == null) this.claims = jwtClaims();
      return this.claims;
    }
    if (name == "request.headers") return new HeaderAttributeMap("request", "headers");
    if (name == "response.headers") return new HeaderAttributeMap("response", "headers");
    if (name == "response.trailers") return new HeaderAttributeMap("response", "trailers");
    if (!TYPES.has(name)) return null;
    return readLeaf(TYPES.get(name));
  }
}
