// Istio's value forms for AuthorizationPolicy fields (istio/istio pilot/pkg/security/authz/matcher):
// `*` is presence, `*x` a suffix, `x*` a prefix, anything else exact. Principals get `spiffe://`
// in front of exact and prefix forms, as Istio compiles them to Envoy's principal_name.

import { JsonKind, JsonValue, StringMatchKind, StringMatcher } from "../../assembly";

/** One compiled value: a StringMatcher, or presence (a non-empty value) when `matcher` is null. */
export class IstioValue {
  constructor(
    /** The comparison; null means "present and non-empty" (Istio's `*`, regex `.+`). */
    public matcher: StringMatcher | null,
  ) {}

  /** Whether `input` matches; an absent value (null) never matches. */
  matches(input: string | null): bool {
    if (input == null) return false;
    const matcher = this.matcher;
    return matcher == null ? input.length > 0 : matcher.matches(input);
  }
}

/** Compiles `value` in Istio's forms; `exactPrefix` goes in front of exact and prefix values. */
export function istioValue(value: string, ignoreCase: bool = false, exactPrefix: string = ""): IstioValue {
  if (value == "*") return new IstioValue(null);
  let kind = StringMatchKind.Exact;
  let text = exactPrefix + value;
  if (value.startsWith("*")) {
    kind = StringMatchKind.Suffix;
    text = value.substring(1);
  } else if (value.endsWith("*")) {
    kind = StringMatchKind.Prefix;
    text = exactPrefix + value.substring(0, value.length - 1);
  }
  // Prefix and suffix texts are non-empty here, so create cannot fail.
  return new IstioValue(StringMatcher.create(kind, text, ignoreCase).matcher);
}

/** Whether any of `values` matches `input`. */
export function anyMatches(values: Array<IstioValue>, input: string | null): bool {
  for (let i = 0; i < values.length; i++) if (values[i].matches(input)) return true;
  return false;
}

/**
 * Istio's metadata list matcher for JWT claims: a string claim matches as a value, an array claim
 * when any string element matches; numbers, booleans, objects and null never match.
 */
export function claimMatches(values: Array<IstioValue>, claim: JsonValue | null): bool {
  if (claim == null) return false;
  if (claim.kind == JsonKind.String) return anyMatches(values, claim.string);
  if (claim.kind != JsonKind.Array) return false;
  for (let i = 0; i < claim.elements.length; i++) {
    const element = claim.elements[i];
    if (element.kind == JsonKind.String && anyMatches(values, element.string)) return true;
  }
  return false;
}

/**
 * Istio's header condition: the regex `^v$|^v,.*|.*,v,.*|.*,v$` matches the value as any element
 * of the comma-joined header (no trimming), or the whole joined value.
 */
export function headerMatches(values: Array<IstioValue>, joined: string | null): bool {
  if (joined == null) return false;
  for (let i = 0; i < values.length; i++) {
    const matcher = values[i].matcher;
    // Presence (`*`) is Envoy's present_match: the header exists, whatever its value.
    if (matcher == null || matcher.matches(joined)) return true;
  }
  const elements = joined.split(",");
  for (let i = 0; i < elements.length; i++) if (anyMatches(values, elements[i])) return true;
  return false;
}
