/**
 * One header (or trailer, or metadata entry): a lowercase name and its value. Entries are immutable,
 * so a decoded map may hand out the same entry for a pair repeated from an earlier request.
 */
export class Header {
  constructor(
    /** The name; Envoy gives and expects lowercase names (pseudo-headers start with ":"). */
    public readonly name: string,
    /** The value, decoded as UTF-8 (use the `Bytes` methods of HeaderMap for other bytes). */
    public readonly value: string,
  ) {}

  /**
   * An entry for `name` and `value`: one made earlier when it holds these very string objects
   * (decoded header text repeats as the same objects), else a new one, kept for next time.
   */
  static shared(name: string, value: string): Header {
    const mixed = (<u32>changetype<usize>(name) * 0x9e3779b1) ^ (<u32>changetype<usize>(value));
    const first = (<i32>((mixed * 0x85ebca6b) >> (32 - KEPT_SETS_LOG2))) << 1;
    const newer = unchecked(kept[first]);
    if (holds(newer, name, value)) return newer;
    const older = unchecked(kept[first + 1]);
    if (!holds(older, name, value)) {
      const header = new Header(name, value);
      unchecked((kept[first + 1] = newer));
      unchecked((kept[first] = header));
      return header;
    }
    unchecked((kept[first] = older));
    unchecked((kept[first + 1] = newer));
    return older;
  }
}

// Entries Header.shared made lately, in 32 sets of two, the more recently used first.
const KEPT_SETS_LOG2: u32 = 5;
const kept = new StaticArray<Header>(2 << (<i32>KEPT_SETS_LOG2));

// Whether kept entry `header` (null for an empty slot) holds these very two strings.
function holds(header: Header, name: string, value: string): bool {
  if (changetype<usize>(header) == 0) return false;
  return (
    changetype<usize>(header.name) == changetype<usize>(name) &&
    changetype<usize>(header.value) == changetype<usize>(value)
  );
}

/** The name Envoy's request header map keeps header `name` (lower case) under: `host` is `:authority`. */
export function requestHeaderKey(name: string): string {
  return name == "host" ? ":authority" : name;
}

/**
 * Every value of header `name` in `pairs` joined with "," as Envoy's header matchers see it (pass a
 * request header's name through `requestHeaderKey`); null when absent.
 */
export function joinedHeaderValue(pairs: Array<Header>, name: string): string | null {
  let joined: string | null = null;
  for (let i = 0; i < pairs.length; i++) {
    if (pairs[i].name != name) continue;
    joined = joined == null ? pairs[i].value : joined + "," + pairs[i].value;
  }
  return joined;
}
