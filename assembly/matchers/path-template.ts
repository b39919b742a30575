// Istio's path templates for AuthorizationPolicy paths: `{*}` matches exactly one path segment,
// `{**}` any number of segments (including none) and must be the last operator. Istio hands them
// to Envoy's uri_template matcher, whose rules this follows: a segment is one or more RFC 3986
// pchars (`[A-Za-z0-9-._~%!$&'()+,;:@=]`), the whole path must match, the query is not part of
// it; literal text must be pchars too, `//` is not allowed, and `*`, `{`, `}` appear only in
// the operators.

import { Regex } from "../regex";
import { StringBuilder } from "../string-builder";

const PCHARS = "A-Za-z0-9\\-._~%!$&'()+,;:@=";

/** A compiled path template, or why the template is invalid. */
export class PathTemplateResult {
  constructor(
    /** The template, or null when `error` is set. */
    public template: PathTemplate | null,
    /** "" when valid; otherwise the reason and the position in the template. */
    public error: string,
  ) {}
}

function isPchar(c: i32): bool {
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) return true;
  return "-._~%!$&'()+,;:@=".includes(String.fromCharCode(c));
}

function failAt(message: string, position: i32): PathTemplateResult {
  return new PathTemplateResult(null, message + " at position " + position.toString());
}

/** An Istio path template (`/api/{*}/items/{**}`), matched against request paths. */
export class PathTemplate {
  private constructor(
    /** The template as written. */
    public template: string,
    private regex: Regex,
  ) {}

  /** Whether `template` contains a template operator, so that Istio reads it as a template. */
  static isTemplate(template: string): bool {
    return template.includes("{*}") || template.includes("{**}");
  }

  /** Validates and compiles a template; the error names the problem and its position. */
  static compile(template: string): PathTemplateResult {
    if (!template.startsWith("/")) return failAt("a path template must start with '/'", 0);
    const pattern = new StringBuilder();
    let sawTextGlob = false;
    let i = 0;
    while (i < template.length) {
      if (template.startsWith("{**}", i) || template.startsWith("{*}", i)) {
        const textGlob = template.startsWith("{**}", i);
        if (sawTextGlob) return failAt("{**} must be the last operator", i);
        sawTextGlob = textGlob;
        pattern.text(textGlob ? "[" + PCHARS + "/]*" : "[" + PCHARS + "]+");
        i += textGlob ? 4 : 3;
        continue;
      }
      const c = template.charCodeAt(i);
      if (c == 0x2f) {
        if (template.startsWith("//", i)) return failAt("'//' is not allowed in a path template", i);
        pattern.text("/");
      } else if (c == 0x7b || c == 0x7d || c == 0x2a) {
        return failAt("'" + String.fromCharCode(c) + "' is only allowed in {*} and {**}", i);
      } else if (!isPchar(c)) {
        return failAt("'" + String.fromCharCode(c) + "' is not a path character", i);
      } else {
        if (c == 0x2e || c == 0x24 || c == 0x28 || c == 0x29 || c == 0x2b) pattern.code(0x5c);
        pattern.code(c);
      }
      i++;
    }
    const compiled = Regex.compile(pattern.toString());
    const regex = compiled.regex;
    if (regex == null) return new PathTemplateResult(null, compiled.error);
    return new PathTemplateResult(new PathTemplate(template, regex), "");
  }

  /** Whether `path` (a request path; anything from `?` on is the query and is ignored) matches. */
  matches(path: string): bool {
    const query = path.indexOf("?");
    return this.regex.fullMatch(query < 0 ? path : path.substring(0, query));
  }
}
