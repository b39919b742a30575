// The field-by-field comparison of two normalised observations.

import { type FieldResult, type Observation } from "./types.js";

/** The names of the compared fields, in order. */
export const FIELDS = [
  "response.status",
  "response.headers",
  "response.body",
  "upstream.method",
  "upstream.path",
  "upstream.headers",
  "upstream.body",
  "logs",
  "metrics",
  "callouts",
] as const;

/** One compared field's name. */
export type Field = (typeof FIELDS)[number];

function pick(observation: Observation, field: Field): unknown {
  const [top, sub] = field.split(".") as [keyof Observation, string?];
  const value = observation[top];
  if (sub === undefined) return value;
  // A request that never reached the upstream has no method, path, headers or body.
  if (value === null) return null;
  return (value as unknown as Record<string, unknown>)[sub];
}

/** Compares every field of two normalised observations. */
export function compare(harness: Observation, envoy: Observation): FieldResult[] {
  return FIELDS.map((field) => {
    const h = pick(harness, field);
    const e = pick(envoy, field);
    return { field, harness: h, envoy: e, match: JSON.stringify(h) === JSON.stringify(e) };
  });
}
