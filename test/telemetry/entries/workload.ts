// Test entry: the telemetry filter's workload metadata, the SDK's protobuf reader and standard
// base64 through plain functions. Bytes travel as hex; a Workload comes back as `key=value` lines.

import { decodeBase64, encodeBase64 } from "../../../assembly/base64";
import { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from "../../../assembly/protobuf";
import {
  Workload,
  workloadFromNode,
  workloadFromPeerHeader,
  workloadFromStruct,
} from "../../../filters/telemetry/workload";

const HEX_DIGITS = "0123456789abcdef";

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = <u8>I32.parseInt(hex.substr(i << 1, 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    out += HEX_DIGITS.charAt(bytes[i] >> 4) + HEX_DIGITS.charAt(bytes[i] & 15);
  }
  return out;
}

// Fixed fields first, then `labels.<key>=<value>` sorted by key.
function render(w: Workload | null): string {
  if (w == null) return "null";
  let out = "name=" + w.name + "\nnamespace=" + w.namespace + "\nworkload=" + w.workload;
  out += "\napp=" + w.app + "\nversion=" + w.version + "\ncanonicalService=" + w.canonicalService;
  out += "\ncanonicalRevision=" + w.canonicalRevision + "\ncluster=" + w.cluster;
  out += "\nserviceAccount=" + w.serviceAccount;
  const keys = w.labels.keys().sort();
  for (let i = 0; i < keys.length; i++) out += "\nlabels." + keys[i] + "=" + w.labels.get(keys[i]);
  return out;
}

/** The Workload of a serialized Node given as hex. */
export function fromNodeHex(hex: string): string {
  return render(workloadFromNode(fromHex(hex).buffer));
}

/** The Workload of a serialized Struct given as hex. */
export function fromStructHex(hex: string): string {
  return render(workloadFromStruct(fromHex(hex)));
}

/** The Workload of an `x-envoy-peer-metadata` value, or "null". */
export function fromPeerHeader(value: string): string {
  return render(workloadFromPeerHeader(value));
}

/** One line per field of the message in `hex[start, end)` (byte offsets): `field:wireType:value`, then "error" when malformed. */
export function readFields(hex: string, start: i32, end: i32): string {
  const reader = new ProtoReader(fromHex(hex), start, end);
  const lines = new Array<string>();
  while (reader.next()) {
    let value = "";
    const type = reader.wireType;
    if (type == WIRE_VARINT) value = reader.varint().toString();
    else if (type == WIRE_FIXED64) value = reader.fixed64().toString();
    else if (type == WIRE_FIXED32) value = reader.fixed32().toString();
    else if (type == WIRE_LENGTH) value = toHex(reader.bytes());
    lines.push(reader.field.toString() + ":" + type.toString() + ":" + value);
  }
  if (reader.error) lines.push("error");
  return lines.join("\n");
}

/** Reads every field of `hex` with the accessor of another wire type: all must give 0 or empty. */
export function mismatchedAccessorsAreEmpty(hex: string): bool {
  const reader = new ProtoReader(fromHex(hex));
  while (reader.next()) {
    const type = reader.wireType;
    if (type != WIRE_VARINT && reader.varint() != 0) return false;
    if (type != WIRE_FIXED64 && reader.fixed64() != 0) return false;
    if (type != WIRE_FIXED32 && reader.fixed32() != 0) return false;
    if (type != WIRE_LENGTH && (reader.bytes().length != 0 || reader.string() != "")) return false;
    if (type != WIRE_LENGTH && reader.message().next()) return false;
  }
  return true;
}

/** The first field's value as a double (its fixed64 bits reinterpreted). */
export function firstDouble(hex: string): f64 {
  const reader = new ProtoReader(fromHex(hex));
  return reader.next() ? reinterpret<f64>(reader.fixed64()) : NaN;
}

/** The first field's value as UTF-8 text. */
export function firstString(hex: string): string {
  const reader = new ProtoReader(fromHex(hex));
  return reader.next() ? reader.string() : "";
}

/** The fields of the embedded message in the first field, rendered like `readFields`. */
export function embeddedFields(hex: string): string {
  const outer = new ProtoReader(fromHex(hex));
  if (!outer.next()) return "";
  const inner = outer.message();
  const lines = new Array<string>();
  while (inner.next()) lines.push(inner.field.toString() + ":" + inner.wireType.toString());
  if (inner.error) lines.push("error");
  return lines.join("\n");
}

/** Standard base64 `text` decoded to hex, or "null". */
export function decodeBase64Hex(text: string): string {
  const bytes = decodeBase64(text);
  return bytes == null ? "null" : toHex(bytes);
}

/** `hex` encoded as padded standard base64. */
export function encodeBase64Hex(hex: string): string {
  return encodeBase64(fromHex(hex));
}
