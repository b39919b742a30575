// The workload identity behind Istio's standard metric labels, read from node metadata: the local
// node's `xds.node` property (envoy.config.core.v3.Node) or a peer's `x-envoy-peer-metadata` header
// (base64 google.protobuf.Struct). Keys follow istio/istio pkg/model/context.go (NodeMetadata); app,
// version and canonical fallbacks follow istio/proxy extensions/common/metadata_object.cc and
// istio/istio pkg/kube/labels (CanonicalService).

import { decodeBase64 } from "../../assembly/base64";
import { ProtoReader, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from "../../assembly/protobuf";

/** envoy.config.core.v3.Node field 3: the node's metadata Struct. */
const NODE_METADATA: i32 = 3;
/** google.protobuf.Struct field 1: the map entries; entry field 1 is the key, field 2 the Value. */
const STRUCT_FIELDS: i32 = 1;
const ENTRY_KEY: i32 = 1;
const ENTRY_VALUE: i32 = 2;
/** google.protobuf.Value oneof members: 1 null, 2 number, 3 string, 4 bool, 5 struct, 6 list. */
const VALUE_NULL: i32 = 1;
const VALUE_NUMBER: i32 = 2;
const VALUE_STRING: i32 = 3;
const VALUE_BOOL: i32 = 4;
const VALUE_STRUCT: i32 = 5;
const VALUE_LAST_KIND: i32 = 6;

const APP_LABEL = "app";
const APP_NAME_LABEL = "app.kubernetes.io/name";
const VERSION_LABEL = "version";
const APP_VERSION_LABEL = "app.kubernetes.io/version";
const CANONICAL_NAME_LABEL = "service.istio.io/canonical-name";
const CANONICAL_REVISION_LABEL = "service.istio.io/canonical-revision";
/** The revision Istio reports for a known service with no revision or version label. */
const DEFAULT_REVISION = "latest";

/** One side of a request as Istio's metrics name it; every field is "" when unknown. */
export class Workload {
  /** The pod (instance) name: metadata NAME. */
  name: string = "";
  /** The workload's namespace: metadata NAMESPACE. */
  namespace: string = "";
  /** The workload (e.g. Deployment) name: metadata WORKLOAD_NAME. */
  workload: string = "";
  /** Label app.kubernetes.io/name, else label app. */
  app: string = "";
  /** Label app.kubernetes.io/version, else label version. */
  version: string = "";
  /** Label service.istio.io/canonical-name, else `app`, else `workload`. */
  canonicalService: string = "";
  /** Label service.istio.io/canonical-revision, else `version`, else "latest" when the canonical service is known. */
  canonicalRevision: string = "";
  /** The Istio cluster: metadata CLUSTER_ID. */
  cluster: string = "";
  /** The Kubernetes service account: metadata SERVICE_ACCOUNT. */
  serviceAccount: string = "";
  /** The pod labels with string values: metadata LABELS. */
  labels: Map<string, string> = new Map<string, string>();
}

/** Reads the local node's identity from the serialized Node of property `xds.node`; a malformed Node gives what was read before the damage. */
export function workloadFromNode(nodeBytes: ArrayBuffer): Workload {
  const scan = new MetadataScan();
  const node = new ProtoReader(Uint8Array.wrap(nodeBytes));
  while (node.next()) {
    // A repeated singular message merges, so several metadata fields add up as protobuf does.
    if (node.field == NODE_METADATA && node.wireType == WIRE_LENGTH) scan.readStruct(node.message());
  }
  return scan.finish();
}

/** Reads a peer's identity from an `x-envoy-peer-metadata` value; null when it is empty, not standard base64 or not a well-formed Struct. */
export function workloadFromPeerHeader(value: string): Workload | null {
  if (value.length == 0) return null;
  const bytes = decodeBase64(value);
  if (bytes == null) return null;
  const scan = new MetadataScan();
  scan.readStruct(new ProtoReader(bytes));
  return scan.malformed ? null : scan.finish();
}

/** Reads a workload identity from a serialized node metadata Struct; malformed bytes give what was read before the damage. */
export function workloadFromStruct(bytes: Uint8Array): Workload {
  const scan = new MetadataScan();
  scan.readStruct(new ProtoReader(bytes));
  return scan.finish();
}

// Collects the metadata entries the labels need; later entries replace earlier ones, as protobuf
// map entries do. Only string values count; other kinds make the entry unknown.
class MetadataScan {
  malformed: bool = false;
  private readonly workload: Workload = new Workload();

  readStruct(struct: ProtoReader): void {
    while (struct.next()) {
      if (struct.field == STRUCT_FIELDS && struct.wireType == WIRE_LENGTH) this.readEntry(struct.message());
    }
    if (struct.error) this.malformed = true;
  }

  finish(): Workload {
    const w = this.workload;
    w.app = firstLabel(w.labels, APP_NAME_LABEL, APP_LABEL);
    w.version = firstLabel(w.labels, APP_VERSION_LABEL, VERSION_LABEL);
    w.canonicalService = firstOf(label(w.labels, CANONICAL_NAME_LABEL), w.app, w.workload);
    const revision = firstOf(label(w.labels, CANONICAL_REVISION_LABEL), w.version, "");
    w.canonicalRevision = revision.length == 0 && w.canonicalService.length > 0 ? DEFAULT_REVISION : revision;
    return w;
  }

  private readEntry(entry: ProtoReader): void {
    const pair = this.readPair(entry);
    if (pair == null) return;
    const w = this.workload;
    const key = pair.key;
    if (key == "LABELS") w.labels = this.readLabels(pair.value);
    else if (key == "NAME") w.name = this.stringValue(pair.value);
    else if (key == "NAMESPACE") w.namespace = this.stringValue(pair.value);
    else if (key == "WORKLOAD_NAME") w.workload = this.stringValue(pair.value);
    else if (key == "CLUSTER_ID") w.cluster = this.stringValue(pair.value);
    else if (key == "SERVICE_ACCOUNT") w.serviceAccount = this.stringValue(pair.value);
  }

  // A map entry's key and encoded Value (an absent Value is an empty one); null when malformed.
  private readPair(entry: ProtoReader): Pair | null {
    const pair = new Pair();
    while (entry.next()) {
      if (entry.wireType != WIRE_LENGTH) continue;
      if (entry.field == ENTRY_KEY) pair.key = entry.string();
      else if (entry.field == ENTRY_VALUE) pair.value = entry.bytes();
    }
    if (!entry.error) return pair;
    this.malformed = true;
    return null;
  }

  // The string-valued entries of a Value holding a Struct (empty for any other Value).
  private readLabels(value: Uint8Array): Map<string, string> {
    const labels = new Map<string, string>();
    const struct = this.member(value, VALUE_STRUCT);
    if (struct == null) return labels;
    const fields = new ProtoReader(struct);
    while (fields.next()) {
      if (fields.field != STRUCT_FIELDS || fields.wireType != WIRE_LENGTH) continue;
      const pair = this.readPair(fields.message());
      if (pair == null) continue;
      const text = this.member(pair.value, VALUE_STRING);
      if (text != null) labels.set(pair.key, utf8(text));
      else if (labels.has(pair.key)) labels.delete(pair.key);
    }
    if (fields.error) this.malformed = true;
    return labels;
  }

  private stringValue(value: Uint8Array): string {
    const text = this.member(value, VALUE_STRING);
    return text == null ? "" : utf8(text);
  }

  // The bytes of a Value's oneof member when that member is `kind` (the last member set wins, as
  // in protobuf; a member with the wrong wire type is an unknown field); null for another kind, an
  // unset Value or malformed bytes.
  private member(value: Uint8Array, kind: i32): Uint8Array | null {
    const reader = new ProtoReader(value);
    let found: Uint8Array | null = null;
    while (reader.next()) {
      const field = reader.field;
      if (field < 1 || field > VALUE_LAST_KIND || reader.wireType != memberWireType(field)) continue;
      found = field == kind ? reader.bytes() : null;
    }
    if (!reader.error) return found;
    this.malformed = true;
    return null;
  }
}

// One map entry of a Struct.
class Pair {
  key: string = "";
  value: Uint8Array = new Uint8Array(0);
}

// The wire type of Value member `field`: null_value and bool_value are varints, number_value a double.
function memberWireType(field: i32): i32 {
  if (field == VALUE_NULL || field == VALUE_BOOL) return WIRE_VARINT;
  return field == VALUE_NUMBER ? WIRE_FIXED64 : WIRE_LENGTH;
}

function utf8(bytes: Uint8Array): string {
  return String.UTF8.decodeUnsafe(bytes.dataStart, <usize>bytes.length);
}

function label(labels: Map<string, string>, key: string): string {
  return labels.has(key) ? labels.get(key) : "";
}

function firstLabel(labels: Map<string, string>, preferred: string, fallback: string): string {
  return firstOf(label(labels, preferred), label(labels, fallback), "");
}

function firstOf(a: string, b: string, c: string): string {
  if (a.length > 0) return a;
  return b.length > 0 ? b : c;
}
