// Each filter's README carries the configuration reference cli/config-reference.ts renders from
// its config.schema.json, exactly; each schema is usable by editors ($schema, $id, title,
// description, examples); every example validates against its schema and configures the filter.

import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { HostEnvironment, Plugin } from "../../harness/index.js";
import {
  END_MARKER,
  START_MARKER,
  type JsonSchema,
  filtersWithSchemas,
  markedSection,
  readSchema,
  referenceSection,
  renderReference,
  withSection,
} from "../../cli/config-reference.js";

const filters = filtersWithSchemas();

// The first line where `actual` and `expected` differ, with its number, or null when they agree.
function firstDifference(actual: string, expected: string): string | null {
  const a = actual.split("\n");
  const e = expected.split("\n");
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i])
      return `line ${i + 1} of the section:\n  README: ${a[i] ?? "(none)"}\n  schema: ${e[i] ?? "(none)"}`;
  }
  return null;
}

// Every "cluster" string of a configuration: the clusters the host must know for it to load.
function clustersOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => clustersOf(v, out));
  else if (value && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (key === "cluster" && typeof v === "string") out.push(v);
      else clustersOf(v, out);
    }
  }
  return out;
}

describe("filter READMEs", () => {
  it("finds every shipped filter among those with a schema", () => {
    expect(filters).toEqual(expect.arrayContaining(["abac-authz", "header-rewrite", "jwt-authn", "telemetry"]));
  });

  it.each(filters)("%s: the configuration reference matches config.schema.json", async (filter) => {
    const readme = readFileSync(`filters/${filter}/README.md`, "utf8");
    const current = markedSection(readme);
    expect(current, `filters/${filter}/README.md has no ${START_MARKER} ... ${END_MARKER} section`).not.toBeNull();
    const difference = firstDifference(current!, await referenceSection(filter));
    expect(difference, `filters/${filter}/README.md: ${difference}\nrun npm run docs:config`).toBeNull();
  });

  it.each(filters)("%s: the reference names every schema field in its own row", async (filter) => {
    const section = await referenceSection(filter);
    const names = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const name of Object.keys((node as JsonSchema).properties ?? {})) names.add(name);
        Object.values(node).forEach(walk);
      }
    };
    walk(readSchema(filter));
    const rows = [...section.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]!.split(/[.[\]]+/).at(-1));
    expect([...names].filter((name) => !rows.includes(name))).toEqual([]);
  });
});

describe("config.schema.json for editors", () => {
  it.each(filters)("%s: declares $schema, $id, title, description and examples", (filter) => {
    const schema = readSchema(filter) as JsonSchema & { $schema?: string; $id?: string };
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe(`https://envoy-as.dev/schemas/${filter}.json`);
    expect(schema.title).toBe(`${filter} configuration`);
    expect(schema.description?.length).toBeGreaterThan(20);
    expect(schema.examples?.length).toBeGreaterThan(0);
  });

  it.each(filters)("%s: every example validates against the schema", (filter) => {
    const schema = readSchema(filter);
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    for (const example of schema.examples ?? []) {
      expect(validate(example), `${JSON.stringify(example)}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it.each(filters)("%s: every example configures the filter (build/%s.wasm)", async (filter) => {
    for (const example of readSchema(filter).examples ?? []) {
      const environment = new HostEnvironment({ clusters: clustersOf(example) });
      const plugin = await Plugin.load(`build/${filter}.wasm`, {
        rootId: filter,
        configuration: example as object,
        environment,
      });
      expect(plugin.status, `${JSON.stringify(example)}\n${plugin.logMessages().join("\n")}`).toBe("running");
    }
  });
});

describe("renderReference", () => {
  const schema: JsonSchema = {
    description: "Root.",
    type: "object",
    required: ["name"],
    properties: {
      name: { type: "string", minLength: 1, description: "A name | with a pipe and <tag>." },
      mode: { enum: ["A", "B"] },
      size: { type: "integer", minimum: 0, maximum: 9, default: 3 },
      tags: { type: "array", items: { type: "string", pattern: "^a`b|c$" }, minItems: 1 },
      labels: { type: "object", additionalProperties: { type: "string", description: "CEL." } },
      inner: { type: "object", properties: { on: { type: "boolean" } }, not: { required: ["on"] } },
      item: { $ref: "#/$defs/item" },
      header: { $ref: "#/$defs/header" },
    },
    $defs: {
      item: {
        description: "An item.",
        oneOf: [
          { type: "object", required: ["left"], properties: { left: { type: "number" } } },
          { type: "object", required: ["right"], properties: { right: { const: true } } },
        ],
      },
      header: { type: "string", pattern: "^[a-z]+$", description: "A header name." },
      unused: { type: "object", properties: { spare: { type: "string" } } },
    },
  };
  const text = renderReference(schema);

  it.each([
    ["the root table's heading and description", "### Top-level fields\n\nRoot."],
    [
      "a required field with its length",
      "| `name` | string, at least 1 character | yes | A name \\| with a pipe and \\<tag>. |",
    ],
    ["an enum", "| `mode` | one of `A` or `B` |  |  |"],
    ["bounds and a default", "| `size` | integer, 0 to 9, default `3` |  |  |"],
    [
      "array items with a backtick and a pipe",
      "| `tags` | array of string (pattern `` ^a`b\\|c$ ``), at least 1 item |  |  |",
    ],
    ["a map, described by its values", "| `labels` | map of name to string |  | CEL. |"],
    ["an inline object's fields under its path", "| `inner.on` | boolean |  |  |"],
    ["an inline object's constraint", "- `inner`: `on` is not allowed."],
    ["a link to an object definition", "| `item` | [`item`](#item-fields) |  | An item. |"],
    ["a link to a value type", "| `header` | [`header`](#value-types) |  | A header name. |"],
    ["a definition's variants merged", "| `left` | number |  |  |\n| `right` | always `true` |  |  |"],
    ["a definition's variants as a rule", "- Exactly one of `left` or `right`."],
    ["a definition nothing references", "### `unused` fields"],
    ["the value types", "### Value types"],
    ["a value type row", "| `header` | string, pattern `^[a-z]+$` | A header name. |"],
  ])("renders %s", (_, expected) => {
    expect(text).toContain(expected);
  });

  it("renders the same text twice (deterministic)", () => {
    expect(renderReference(schema)).toBe(text);
  });
});

describe("withSection", () => {
  const section = `${START_MARKER}\n$& and $1 stay as written\n${END_MARKER}`;

  it.each([
    ["replaces the marked section", `a\n${START_MARKER}\nold\n${END_MARKER}\nb`, `a\n${section}\nb`],
    ["replaces an empty section", `${START_MARKER}${END_MARKER}`, section],
    ["returns null without markers", "a\nb", null],
    ["returns null when the end comes first", `${END_MARKER}\n${START_MARKER}`, null],
  ])("%s", (_, readme, expected) => {
    expect(withSection(readme, section)).toBe(expected);
  });
});
