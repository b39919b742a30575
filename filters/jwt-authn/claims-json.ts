// The claims published to filter state: the payload JSON, with listed space-delimited string
// claims (OAuth `scope`, Istio's `permission`) split into arrays the way Envoy's
// normalize_payload_in_metadata and Istio's spaceDelimitedClaims present them to authorization.

import { JsonKind, JsonValue } from "../../assembly";

/** Returns the claims as JSON text with the string claims named in `spaceDelimited` split on spaces. */
export function claimsJson(claims: JsonValue, spaceDelimited: Array<string>): string {
  const parts = new Array<string>();
  for (let i = 0; i < claims.keys.length; i++) {
    const key = claims.keys[i];
    const value = claims.members.get(key);
    let text: string;
    if (value.kind == JsonKind.String && spaceDelimited.includes(key)) {
      const words = value.string.split(" ");
      const items = new Array<string>();
      for (let j = 0; j < words.length; j++) if (words[j].length > 0) items.push(quote(words[j]));
      text = "[" + items.join(",") + "]";
    } else {
      text = write(value);
    }
    parts.push(quote(key) + ":" + text);
  }
  return "{" + parts.join(",") + "}";
}

/** Writes a JSON number as Envoy writes claims: whole numbers without a fraction, others in shortest form. */
export function numberText(n: f64): string {
  return Math.floor(n) == n && Math.abs(n) < 9007199254740992.0 ? (<i64>n).toString() : n.toString();
}

function write(value: JsonValue): string {
  switch (value.kind) {
    case JsonKind.Null:
      return "null";
    case JsonKind.Bool:
      return value.bool ? "true" : "false";
    case JsonKind.Number:
      return numberText(value.number);
    case JsonKind.String:
      return quote(value.string);
    case JsonKind.Array: {
      const items = new Array<string>();
      for (let i = 0; i < value.elements.length; i++) items.push(write(value.elements[i]));
      return "[" + items.join(",") + "]";
    }
    default: {
      const members = new Array<string>();
      for (let i = 0; i < value.keys.length; i++) {
        members.push(quote(value.keys[i]) + ":" + write(value.members.get(value.keys[i])));
      }
      return "{" + members.join(",") + "}";
    }
  }
}

// RFC 8259 section 7: escape quotes, backslashes and control characters.
function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x22) out += '\\"';
    else if (c == 0x5c) out += "\\\\";
    else if (c < 0x20) out += "\\u00" + (c < 0x10 ? "0" : "") + c.toString(16);
    else out += String.fromCharCode(c);
  }
  return out + '"';
}
