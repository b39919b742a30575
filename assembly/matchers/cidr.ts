// CIDR ranges and sets for Istio ipBlocks / remoteIpBlocks and Envoy's CidrRange. A bare address
// is a /32 or /128. As in Istio (Go's netip.ParsePrefix) host bits may be set (`10.0.0.1/8`) and
// are masked off, as Envoy does with a CidrRange. Families never mix: an IPv4-mapped IPv6 address
// (`::ffff:10.0.0.1`) matches IPv6 ranges only (`::ffff:10.0.0.0/104`), as in Envoy's
// CidrRange::isInRange.

import { IpAddress } from "./ip-address";

/** One CIDR range. */
export class CidrRange {
  constructor(
    /** The network address, host bits cleared. */
    public address: IpAddress,
    /** The prefix length: 0..32 for IPv4, 0..128 for IPv6. */
    public prefixLength: i32,
  ) {}

  /** Whether `address` is in this range (always false across IPv4 and IPv6). */
  contains(address: IpAddress): bool {
    if (address.v6 != this.address.v6) return false;
    const length = this.prefixLength;
    if (!address.v6) return (address.low & ipv4Mask(length)) == this.address.low;
    return (
      (address.high & highMask(length)) == this.address.high && (address.low & lowMask(length)) == this.address.low
    );
  }
}

// `address` with all but its first `length` bits cleared.
function mask(address: IpAddress, length: i32): IpAddress {
  if (!address.v6) return new IpAddress(false, 0, address.low & ipv4Mask(length));
  return new IpAddress(true, address.high & highMask(length), address.low & lowMask(length));
}

// The bits of an IPv4 address (in the low 32 bits) that a prefix of `length` keeps.
function ipv4Mask(length: i32): u64 {
  return length == 0 ? 0 : (u64(0xffffffff) << u64(32 - length)) & 0xffffffff;
}

// The bits of an IPv6 address's first (high) and last (low) 64 that a prefix of `length` keeps.
function highMask(length: i32): u64 {
  return length >= 64 ? u64.MAX_VALUE : length == 0 ? 0 : u64.MAX_VALUE << u64(64 - length);
}

function lowMask(length: i32): u64 {
  return length <= 64 ? 0 : length == 128 ? u64.MAX_VALUE : u64.MAX_VALUE << u64(128 - length);
}

/** A CidrRange, or why the text is not one. */
export class CidrRangeResult {
  constructor(
    /** The range, or null when `error` is set. */
    public range: CidrRange | null,
    /** "" when valid; otherwise what is wrong with the text. */
    public error: string,
  ) {}
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, an IPv6 address or `ipv6/n`; the prefix length is decimal without leading zeros. */
export function parseCidr(text: string): CidrRangeResult {
  const slash = text.indexOf("/");
  const address = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
  if (address == null) return new CidrRangeResult(null, 'invalid IP address in "' + text + '"');
  let length = address.bits;
  if (slash >= 0) {
    const digits = text.substring(slash + 1);
    let valid = digits.length > 0 && digits.length <= 3 && !(digits.length > 1 && digits.startsWith("0"));
    for (let i = 0; i < digits.length && valid; i++) {
      const c = digits.charCodeAt(i);
      valid = c >= 0x30 && c <= 0x39;
    }
    length = valid ? I32.parseInt(digits) : -1;
    if (length < 0 || length > address.bits) {
      return new CidrRangeResult(null, 'invalid prefix length in "' + text + '"');
    }
  }
  return new CidrRangeResult(new CidrRange(mask(address, length), length), "");
}

/** A set of CIDR ranges, IPv4 and IPv6 mixed; an address matches when any range contains it. */
export class CidrSet {
  /** The ranges, in the order given. */
  ranges: Array<CidrRange> = [];

  /** Adds a range from text; returns "" or the parse error (the set is unchanged on error). */
  add(text: string): string {
    const parsed = parseCidr(text);
    const range = parsed.range;
    if (range == null) return parsed.error;
    this.ranges.push(range);
    return "";
  }

  /** Whether `address` (textual IP, no port) is in the set; an unparseable address is not. */
  contains(address: string): bool {
    const parsed = IpAddress.parse(address);
    return parsed != null && this.containsAddress(parsed);
  }

  /** Whether a parsed address is in the set. */
  containsAddress(address: IpAddress): bool {
    for (let i = 0; i < this.ranges.length; i++) if (this.ranges[i].contains(address)) return true;
    return false;
  }
}
