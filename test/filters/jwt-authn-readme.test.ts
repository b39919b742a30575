// filters/jwt-authn/README.md documents the configuration the schema describes: every field the
// schema names appears in a code span of the README (a table row such as `from_headers[{name,
// value_prefix}]`, or the Istio rule list), so the schema cannot gain a field the README lacks.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

type Schema = { properties?: Record<string, Schema>; [key: string]: unknown };

// Every property name anywhere in the schema (nested objects, arrays, definitions and variants).
function fieldNames(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => fieldNames(n, out));
  else if (node && typeof node === "object") {
    const schema = node as Schema;
    for (const name of Object.keys(schema.properties ?? {})) out.add(name);
    for (const value of Object.values(schema)) fieldNames(value, out);
  }
  return out;
}

describe("jwt-authn README", () => {
  it("documents every configuration field in config.schema.json", () => {
    const schema = JSON.parse(readFileSync("filters/jwt-authn/config.schema.json", "utf8")) as unknown;
    const readme = readFileSync("filters/jwt-authn/README.md", "utf8");
    const prose = readme.replace(/```[\s\S]*?```/g, "");
    const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!);
    const names = [...fieldNames(schema)];
    expect(names.length).toBeGreaterThan(30);
    const documented = (name: string) => spans.some((span) => new RegExp(`(^|[^\\w])${name}($|[^\\w])`).test(span));
    expect(names.filter((name) => !documented(name))).toEqual([]);
  });
});
