// The claims published to filter state: the payload JSON, with listed space-delimited string
// claims (OAuth `scope`, Istio's `permission`) split into arrays the way Envoy's
// normalize_payload_in_metadata and Istio's spaceDelimitedClaims present them to authorization.

import { JsonKind, JsonValue, jsonQuote, stringifyJson } from "../../assembly";

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
      for (let j = 0; j < words.length; j++) if (words[j].length > 0) items.push(jsonQuote(words[j]));
      text = "[" + items.join(",") + "]";
    } else {
      text = stringifyJson(value);
    }
    parts.push(jsonQuote(key) + ":" + text);
  }
  return "{" + parts.join(",") + "}";
}
