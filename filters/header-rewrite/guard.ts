// Guard rails for sensitive headers, after Envoy's HeaderMutationRules defaults: pseudo-headers
// other than `:path` and `:authority`, `x-envoy-*`, and the framing headers `content-length` and
// `transfer-encoding` are protected unless `allow_headers` lists them (exact, or `prefix*`).

/** Which header names rules may change. */
export class HeaderGuard {
  constructor(
    /** `allow_headers`: exact names, or prefixes written `prefix*` (all lower case). */
    public allowed: Array<string>,
  ) {}

  /** Whether a rule may write or remove header `name` (lower case). */
  permits(name: string): bool {
    if (!isProtected(name)) return true;
    for (let i = 0; i < this.allowed.length; i++) {
      const pattern = this.allowed[i];
      if (pattern.endsWith("*") ? name.startsWith(pattern.substring(0, pattern.length - 1)) : name == pattern) {
        return true;
      }
    }
    return false;
  }
}

/** Whether `name` (lower case) is protected by default. */
export function isProtected(name: string): bool {
  if (name.startsWith(":")) return name != ":path" && name != ":authority";
  return name.startsWith("x-envoy-") || name == "content-length" || name == "transfer-encoding";
}

/** Whether `name` is an RFC 9110 token (a valid header name), or a pseudo-header `:token`. */
export function isHeaderName(name: string): bool {
  const start = name.startsWith(":") ? 1 : 0;
  if (name.length <= start) return false;
  for (let i = start; i < name.length; i++) if (!isTokenChar(name.charCodeAt(i))) return false;
  return true;
}

/** Whether `value` is a valid field value: no CR, LF, NUL or other controls but tab. */
export function isHeaderValue(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c != 0x09) || c == 0x7f) return false;
  }
  return true;
}

// RFC 9110 token characters.
function isTokenChar(c: i32): bool {
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return true;
  return (
    c == 0x21 ||
    (c >= 0x23 && c <= 0x27) ||
    c == 0x2a ||
    c == 0x2b ||
    c == 0x2d ||
    c == 0x2e ||
    c == 0x5e ||
    c == 0x5f ||
    c == 0x60 ||
    c == 0x7c ||
    c == 0x7e
  );
}
