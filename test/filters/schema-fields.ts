// What a filter's README must document of its config.schema.json: every property name the schema
// declares anywhere (nested objects, arrays, definitions and variants).

import { readFileSync } from "node:fs";

type Schema = { properties?: Record<string, Schema>; [key: string]: unknown };

function fieldNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => fieldNames(n, out));
  else if (node && typeof node === "object") {
    const schema = node as Schema;
    for (const name of Object.keys(schema.properties ?? {})) out.add(name);
    for (const value of Object.values(schema)) fieldNames(value, out);
  }
  return out;
}

/**
 * The schema fields of filters/<filter> that appear in no code span of its README (outside fenced
 * blocks), and how many fields the schema has.
 */
export function undocumentedFields(filter: string): { missing: string[]; total: number } {
  const schema = JSON.parse(readFileSync(`filters/${filter}/config.schema.json`, "utf8")) as unknown;
  const prose = readFileSync(`filters/${filter}/README.md`, "utf8").replace(/```[\s\S]*?```/g, "");
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
  const names = [...fieldNames(schema)];
  const documented = (name: string) => spans.some((span) => new RegExp(`(^|[^\\w])${name}($|[^\\w])`).test(span));
  return { missing: names.filter((name) => !documented(name)), total: names.length };
}
