/** One header (or trailer, or metadata entry): a lowercase name and its value. */
export class Header {
  constructor(
    /** The name; Envoy gives and expects lowercase names (pseudo-headers start with ":"). */
    public name: string,
    /** The value, decoded as UTF-8 (use the `Bytes` methods of HeaderMap for other bytes). */
    public value: string,
  ) {}
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
