import { RecentSets } from "./recent-sets";

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
    const set = <i32>((mixed * 0x85ebca6b) >> (32 - <u32>kept.setsLog2));
    const first = kept.first(set);
    if (holds(first, name, value)) return first;
    const second = kept.second(set);
    if (holds(second, name, value)) {
      kept.promoteSecond(set);
      return second;
    }
    const header = new Header(name, value);
    kept.insert(set, header);
    return header;
  }
}

// Entries Header.shared made lately.
const kept = new RecentSets<Header>(5);

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

/** Removes every entry named `name` from `pairs`, keeping the others in order; true when there was one. */
export function removeHeaderEntries(pairs: Array<Header>, name: string): bool {
  let kept = 0;
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (pair.name == name) continue;
    if (kept != i) pairs[kept] = pair;
    kept++;
  }
  if (kept == pairs.length) return false;
  pairs.length = kept;
  return true;
}
