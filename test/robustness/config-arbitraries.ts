// fast-check arbitraries for hostile filter configurations: random JSON, text and bytes, and the
// example configurations with 1 to 3 mutations (a value of another type, a dropped member, an
// unknown member, deep nesting, a hostile string) at random places of the tree.

import fc from "fast-check";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Step = string | number;

/** A configuration as the plugin receives it, with the JSON it came from when it is JSON. */
export interface ConfigCase {
  text: string | Uint8Array;
  document: unknown;
}

// Every path in `value`, the root included.
function paths(value: Json, prefix: Step[] = []): Step[][] {
  const out: Step[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

type Mutation =
  | { op: "replace"; value: Json }
  | { op: "drop" }
  | { op: "unknown"; key: string; value: Json }
  | { op: "nest"; depth: number; asArray: boolean };

// Applies `mutation` at `path` of a copy of `root` and returns the copy.
function mutate(root: Json, path: Step[], mutation: Mutation): Json {
  const copy = structuredClone(root);
  const holder = { root: copy } as { [key: string]: Json };
  let parent: Json = holder;
  let key: Step = "root";
  for (const step of path) {
    parent = (parent as Record<string, Json>)[key as string]!;
    key = step;
  }
  const container = parent as Record<string | number, Json>;
  const current = container[key]!;
  if (mutation.op === "replace") container[key] = mutation.value;
  else if (mutation.op === "drop") {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else if (key !== "root") delete container[key];
  } else if (mutation.op === "unknown") {
    if (current !== null && typeof current === "object" && !Array.isArray(current))
      current[mutation.key] = mutation.value;
    else container[key] = { [mutation.key]: mutation.value };
  } else {
    let nested: Json = current;
    for (let i = 0; i < mutation.depth; i++) nested = mutation.asArray ? [nested] : { x: nested };
    container[key] = nested;
  }
  return holder["root"]!;
}

const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("", "%", "%REQ(", "%CAPTURE(99)%", "[", "(?P<", "\u0000", "\ud800", "1e309", "-1", "NaN"),
  fc.nat({ max: 70_000 }).map((n) => "a".repeat(n)),
);

const anyValue: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
  hostileString,
  fc.constantFrom<Json>(0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, true, null, [], {}),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("replace" as const), value: anyValue }),
  fc.constant({ op: "drop" as const }),
  fc.record({ op: fc.constant("unknown" as const), key: fc.string({ maxLength: 12 }), value: anyValue }),
  fc.record({ op: fc.constant("nest" as const), depth: fc.integer({ min: 1, max: 300 }), asArray: fc.boolean() }),
);

/** 1 to 3 mutations of `example` (a JSON text) at random paths. */
export function mutatedConfig(example: string): fc.Arbitrary<ConfigCase> {
  const base = JSON.parse(example) as Json;
  const steps = fc.tuple(fc.nat(), mutation);
  return fc.array(steps, { minLength: 1, maxLength: 3 }).map((list) => {
    let document = base;
    for (const [pick, m] of list) {
      const all = paths(document);
      document = mutate(document, all[pick % all.length]!, m);
    }
    return { text: JSON.stringify(document), document };
  });
}

/** Random JSON documents, texts that are mostly not JSON, and raw bytes (often invalid UTF-8). */
export const randomConfig: fc.Arbitrary<ConfigCase> = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((document) => ({ text: JSON.stringify(document), document })),
  fc.string({ maxLength: 200 }).map((text) => ({ text, document: undefined })),
  fc.uint8Array({ maxLength: 200 }).map((text) => ({ text, document: undefined })),
);
