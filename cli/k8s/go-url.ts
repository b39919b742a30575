// Go's `url.ParseRequestURI` and `url.Parse`, as far as Kubernetes' CEL `isURL(s)` and
// `url(s).getScheme()` need them (k8s.io/apiserver/pkg/cel/library/urls.go). Follows the steps of
// Go's net/url `parse`: control bytes, scheme, query cut, authority (userinfo, host, port), %-escapes.

const SCHEME_START = /[A-Za-z]/;
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const HEX = /^[0-9A-Fa-f]{2}$/;
// Characters below 0x80 a host may hold unescaped (Go's shouldEscape in encodeHost mode).
const HOST_CHAR = /[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]/;
const USERINFO_CHAR = /[A-Za-z0-9\-._:~!$&'()*+,;=%@]/;

function hasControlByte(text: string): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Go's getScheme: the scheme and the rest, or null for "missing protocol scheme" (a leading ':'). */
function splitScheme(text: string): { scheme: string; rest: string } | null {
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === ":") return index === 0 ? null : { scheme: text.slice(0, index), rest: text.slice(index + 1) };
    if (SCHEME_START.test(char)) continue;
    if (SCHEME_CHAR.test(char) && index > 0) continue;
    return { scheme: "", rest: text };
  }
  return { scheme: "", rest: text };
}

function validEscapes(text: string): boolean {
  for (let index = text.indexOf("%"); index >= 0; index = text.indexOf("%", index + 1))
    if (!HEX.test(text.slice(index + 1, index + 3))) return false;
  return true;
}

function validOptionalPort(colonPort: string): boolean {
  return /^(:[0-9]*)?$/.test(colonPort);
}

function validHost(host: string): boolean {
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0 || !validOptionalPort(host.slice(close + 1))) return false;
  } else {
    const colon = host.lastIndexOf(":");
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) return false;
  }
  for (let index = 0; index < host.length; index++) {
    const char = host[index]!;
    if (char === "%") {
      const hex = host.slice(index + 1, index + 3);
      // Go only lets a host escape bytes of 0x80 and above, and the "%25" of an IPv6 zone.
      if (!HEX.test(hex) || (parseInt(hex[0]!, 16) < 8 && hex !== "25")) return false;
      index += 2;
    } else if (char.charCodeAt(0) < 0x80 && !HOST_CHAR.test(char)) return false;
  }
  return true;
}

function validUserinfo(userinfo: string): boolean {
  for (const char of userinfo) if (!USERINFO_CHAR.test(char)) return false;
  return validEscapes(userinfo);
}

// Go's parse(rawURL, viaRequest): the lower-cased scheme ("" when none) when it accepts `text`, else null.
function parse(text: string, viaRequest: boolean): string | null {
  if (hasControlByte(text)) return null;
  if (text === "") return viaRequest ? null : "";
  if (text === "*") return "";
  const split = splitScheme(text);
  if (split === null) return null;
  const scheme = split.scheme.toLowerCase();
  let rest = split.rest;
  const questions = rest.split("?").length - 1;
  rest = rest.endsWith("?") && questions === 1 ? rest.slice(0, -1) : rest.split("?")[0]!;
  if (!rest.startsWith("/")) {
    if (scheme !== "") return scheme;
    // Without a scheme, a colon in the first segment would read as a malformed scheme.
    if (viaRequest || rest.split("/")[0]!.includes(":")) return null;
  }
  if ((scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    let authority = rest.slice(2);
    const slash = authority.indexOf("/");
    rest = slash >= 0 ? authority.slice(slash) : "";
    if (slash >= 0) authority = authority.slice(0, slash);
    const at = authority.lastIndexOf("@");
    if (!validHost(authority.slice(at + 1))) return null;
    if (at >= 0 && !validUserinfo(authority.slice(0, at))) return null;
  }
  return validEscapes(rest) ? scheme : null;
}

/** The lower-cased scheme ("" when none) of `text` when Go's `url.ParseRequestURI` accepts it (CEL `isURL`), else null. */
export function requestUriScheme(text: string): string | null {
  return parse(text, true);
}

/** The scheme Go's `url.Parse` finds (what CEL `url(s).getScheme()` returns), or null when it refuses `text`. */
export function urlScheme(text: string): string | null {
  const hash = text.indexOf("#");
  if (hash >= 0 && !validEscapes(text.slice(hash + 1))) return null;
  return parse(hash >= 0 ? text.slice(0, hash) : text, false);
}
