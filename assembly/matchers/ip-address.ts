// Strict textual IP addresses, as Go's netip.ParseAddr reads them (Istio parses ipBlocks with Go):
// IPv4 as four decimal octets without leading zeros; IPv6 per RFC 4291 with `::` and a trailing
// dotted IPv4 part; no zones (`%eth0`), no brackets, no ports.

/** An IPv4 or IPv6 address as 128 bits (IPv4 in the low 32 bits of `low`). */
export class IpAddress {
  constructor(
    /** True for IPv6 (including IPv4-mapped `::ffff:a.b.c.d`, which stays IPv6, as in Envoy). */
    public v6: bool,
    /** Bits 127..64 (0 for IPv4). */
    public high: u64,
    /** Bits 63..0; an IPv4 address is its 32 bits here. */
    public low: u64,
  ) {}

  /** The address width in bits: 32 or 128. */
  get bits(): i32 {
    return this.v6 ? 128 : 32;
  }

  /** Parses an IPv4 or IPv6 address, or returns null when `text` is not one. */
  static parse(text: string): IpAddress | null {
    if (text.includes(":")) return parseV6(text);
    const v4 = parseV4(text, 0, text.length);
    return v4 < 0 ? null : new IpAddress(false, 0, u64(v4));
  }
}

// The 32 bits of the dotted IPv4 address in text[start, end), or -1.
function parseV4(text: string, start: i32, end: i32): i64 {
  let value: i64 = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    let digits = 0;
    let octet = 0;
    while (i < end && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) {
      if (digits == 1 && octet == 0) return -1;
      octet = octet * 10 + text.charCodeAt(i) - 0x30;
      digits++;
      i++;
      if (octet > 255) return -1;
    }
    if (digits == 0) return -1;
    value = (value << 8) | i64(octet);
    octets++;
    if (octets < 4) {
      if (i >= end || text.charCodeAt(i) != 0x2e) return -1;
      i++;
    }
  }
  return i == end ? value : -1;
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function parseV6(text: string): IpAddress | null {
  const groups = new StaticArray<i32>(8);
  let count = 0;
  let gap = -1;
  let i = 0;
  const end = text.length;
  if (text.startsWith("::")) {
    gap = 0;
    i = 2;
  } else if (text.startsWith(":")) {
    return null;
  }
  while (i < end) {
    if (count == 8) return null;
    let digits = 0;
    let value = 0;
    const groupStart = i;
    while (i < end && digits < 5 && hexDigit(text.charCodeAt(i)) >= 0) {
      value = (value << 4) | hexDigit(text.charCodeAt(i));
      digits++;
      i++;
    }
    if (i < end && text.charCodeAt(i) == 0x2e) {
      if (count > 6) return null;
      const v4 = parseV4(text, groupStart, end);
      if (v4 < 0) return null;
      groups[count++] = i32(v4 >> 16);
      groups[count++] = i32(v4 & 0xffff);
      i = end;
      break;
    }
    if (digits == 0 || digits > 4) return null;
    groups[count++] = value;
    if (i == end) break;
    if (text.charCodeAt(i) != 0x3a) return null;
    i++;
    if (i < end && text.charCodeAt(i) == 0x3a) {
      if (gap >= 0) return null;
      gap = count;
      i++;
    } else if (i == end) {
      return null;
    }
  }
  if (gap < 0 && count != 8) return null;
  if (gap >= 0 && count == 8) return null;
  const full = new StaticArray<i32>(8);
  const tail = count - max(gap, 0);
  for (let k = 0; k < (gap < 0 ? 8 : gap); k++) full[k] = groups[k];
  if (gap >= 0) for (let k = 0; k < tail; k++) full[8 - tail + k] = groups[gap + k];
  let high: u64 = 0;
  let low: u64 = 0;
  for (let k = 0; k < 4; k++) high = (high << 16) | u64(full[k]);
  for (let k = 4; k < 8; k++) low = (low << 16) | u64(full[k]);
  return new IpAddress(true, high, low);
}
