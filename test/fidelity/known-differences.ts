// Differences between the harness and real Envoy that remain after the normalisations, each with
// the values both sides showed and why it is not fixed in the harness (yet). An entry excuses a
// field only while both values are exactly these; a stale entry fails the suite.

/** One known difference: a field of a case where the harness and Envoy disagree. */
export interface KnownDifference {
  /** `<setup>/<case>`. */
  case: string;
  field: string;
  harness: unknown;
  envoy: unknown;
  reason: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [];
