// Renders each filter's config.schema.json as Markdown tables (one per object: field path, type,
// required, description) and writes them into filters/<filter>/README.md between the
// config-reference markers (`npm run docs:config`). test/docs/config-reference.test.ts regenerates
// the sections in memory and fails when a README and its schema disagree.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";

/** A JSON Schema node, as far as the generator reads it. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  not?: JsonSchema;
  if?: JsonSchema;
  then?: JsonSchema;
  else?: JsonSchema;
  $defs?: Record<string, JsonSchema>;
  definitions?: Record<string, JsonSchema>;
  examples?: unknown[];
}

/** The comment that opens a README's generated section. */
export const START_MARKER = "<!-- config-reference:start -->";
/** The comment that closes a README's generated section. */
export const END_MARKER = "<!-- config-reference:end -->";

/** The filters that have a config.schema.json, sorted by name. */
export function filtersWithSchemas(): string[] {
  return readdirSync("filters")
    .filter((name) => existsSync(join("filters", name, "config.schema.json")))
    .sort();
}

/** Reads filters/<filter>/config.schema.json (under `root`, default the working directory). */
export function readSchema(filter: string, root = "."): JsonSchema {
  return JSON.parse(readFileSync(join(root, "filters", filter, "config.schema.json"), "utf8")) as JsonSchema;
}

interface Row {
  path: string;
  type: string;
  required: boolean;
  description: string;
}

interface Table {
  heading: string;
  intro: string[];
  rows: Row[];
  notes: string[];
}

const VALUE_TYPES = "value-types";

// A code span that survives backticks and table pipes inside it.
function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const padded = longest > 0 ? ` ${text} ` : text;
  return fence + padded.replace(/\|/g, "\\|") + fence;
}

// Schema prose inside a table cell: no pipes, HTML-looking tags or emphasis markers.
function prose(text: string): string {
  return text.replace(/([|<*[\]])/g, "\\$1").replace(/\s+/g, " ");
}

function literal(value: unknown): string {
  return code(typeof value === "string" ? value : JSON.stringify(value));
}

function list(values: string[], last: "or" | "and"): string {
  return values.length < 2 ? (values[0] ?? "") : `${values.slice(0, -1).join(", ")} ${last} ${values.at(-1)}`;
}

function orList(values: string[]): string {
  return list(values, "or");
}

class Reference {
  private readonly defs: Record<string, JsonSchema>;
  private readonly queue: string[] = [];
  private readonly tables: Table[] = [];
  private readonly valueRows: Row[] = [];

  constructor(private readonly schema: JsonSchema) {
    this.defs = { ...schema.definitions, ...schema.$defs };
  }

  render(): string {
    this.table("Top-level fields", this.schema, [prose(this.schema.description ?? "")]);
    // Definitions in the order the tables first reference them, then any nothing references.
    for (let i = 0; i < this.queue.length || this.queueUnreferenced(); i++) {
      const name = this.queue[i]!;
      const def = this.defs[name]!;
      if (this.hasFields(def)) this.table(`${code(name)} fields`, def, def.description ? [prose(def.description)] : []);
      else
        this.valueRows.push({
          path: name,
          type: this.typeText(def),
          required: false,
          description: def.description ?? "",
        });
    }
    const parts = this.tables.map((t) => this.tableText(t.heading, t.intro, t.rows, t.notes, true));
    if (this.valueRows.length > 0) parts.push(this.tableText("Value types", [], this.valueRows, [], false));
    return parts.join("\n\n");
  }

  private queueUnreferenced(): boolean {
    const name = Object.keys(this.defs).find((n) => !this.queue.includes(n));
    if (name !== undefined) this.queue.push(name);
    return name !== undefined;
  }

  private defName(name: string): string {
    if (!this.queue.includes(name)) this.queue.push(name);
    return name;
  }

  private resolve(schema: JsonSchema): [string, JsonSchema] | null {
    const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(schema.$ref ?? "");
    const def = match ? this.defs[match[1]!] : undefined;
    return match && def ? [this.defName(match[1]!), def] : null;
  }

  private fields(schema: JsonSchema): [string, JsonSchema][] {
    const variants = [...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
    const all = [schema, ...variants].flatMap((s) => Object.entries(s.properties ?? {}));
    return all.filter(([name], i) => all.findIndex(([other]) => other === name) === i);
  }

  private hasFields(schema: JsonSchema): boolean {
    return this.fields(schema).length > 0;
  }

  private table(heading: string, schema: JsonSchema, intro: string[]): void {
    const table: Table = { heading, intro, rows: [], notes: [] };
    this.tables.push(table);
    this.objectRows(schema, "", table);
  }

  private objectRows(schema: JsonSchema, prefix: string, table: Table): void {
    const notes = this.constraints(schema);
    for (const note of notes) {
      const where = code(prefix.replace(/\.$/, ""));
      table.notes.push(prefix ? `${where}: ${note.charAt(0).toLowerCase()}${note.slice(1)}` : note);
    }
    for (const [name, field] of this.fields(schema)) {
      const path = prefix + name;
      const resolved = this.resolve(field);
      const inner = field.items ?? (typeof field.additionalProperties === "object" ? field.additionalProperties : {});
      const description = field.description ?? resolved?.[1].description ?? inner.description ?? "";
      table.rows.push({ path, type: this.typeText(field), required: !!schema.required?.includes(name), description });
      this.nested(field, path, table);
    }
  }

  private nested(field: JsonSchema, path: string, table: Table): void {
    if (field.$ref) return;
    if (this.hasFields(field)) this.objectRows(field, `${path}.`, table);
    else if (field.items) this.nested(field.items, `${path}[]`, table);
    else if (typeof field.additionalProperties === "object") {
      this.nested(field.additionalProperties, `${path}.<name>`, table);
    }
  }

  private typeText(schema: JsonSchema): string {
    const resolved = this.resolve(schema);
    if (resolved) {
      const [name, def] = resolved;
      const anchor = this.hasFields(def) ? `${name.toLowerCase()}-fields` : VALUE_TYPES;
      return `[${code(name)}](#${anchor})`;
    }
    const facets = this.facets(schema);
    return [this.baseType(schema), ...facets].filter((t) => t !== "").join(", ");
  }

  private baseType(schema: JsonSchema): string {
    if (schema.enum) return `one of ${orList(schema.enum.map(literal))}`;
    if (schema.const !== undefined) return `always ${literal(schema.const)}`;
    const variants = schema.oneOf ?? schema.anyOf;
    if (!schema.type && variants && !this.hasFields(schema)) return variants.map((v) => this.typeText(v)).join(" or ");
    const types = typeof schema.type === "string" ? [schema.type] : (schema.type ?? []);
    if (types.includes("array")) return schema.items ? `array of ${this.itemType(schema.items)}` : "array";
    if (this.hasFields(schema)) return "object";
    if (types.includes("object") || schema.additionalProperties !== undefined) return this.objectType(schema);
    return types.length > 0 ? orList(types) : "any JSON value";
  }

  private itemType(items: JsonSchema): string {
    const facets = items.$ref ? [] : this.facets(items);
    const base = facets.length > 0 ? this.baseType(items) : this.typeText(items);
    return facets.length > 0 ? `${base} (${facets.join(", ")})` : base;
  }

  private objectType(schema: JsonSchema): string {
    const values = schema.additionalProperties;
    if (values === false) return `empty object ${code("{}")}`;
    if (typeof values !== "object") return "object";
    const keys = schema.propertyNames ? ` (${this.facets(schema.propertyNames).join(", ")})` : "";
    return `map of name${keys} to ${this.typeText(values)}`;
  }

  private facets(schema: JsonSchema): string[] {
    const out: string[] = [];
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    if (schema.format) out.push(`format ${code(schema.format)}`);
    if (schema.pattern) out.push(`pattern ${code(schema.pattern)}`);
    if (schema.minLength !== undefined) out.push(`at least ${plural(schema.minLength, "character")}`);
    if (schema.maxLength !== undefined) out.push(`at most ${plural(schema.maxLength, "character")}`);
    if (schema.minimum !== undefined && schema.maximum !== undefined) {
      out.push(`${schema.minimum} to ${schema.maximum}`);
    } else if (schema.minimum !== undefined) out.push(`at least ${schema.minimum}`);
    else if (schema.maximum !== undefined) out.push(`at most ${schema.maximum}`);
    if (schema.minItems !== undefined) out.push(`at least ${plural(schema.minItems, "item")}`);
    if (schema.maxItems !== undefined) out.push(`at most ${plural(schema.maxItems, "item")}`);
    if (schema.not?.const !== undefined) out.push(`not ${literal(schema.not.const)}`);
    if (schema.default !== undefined) out.push(`default ${literal(schema.default)}`);
    return out;
  }

  // Sentences for what the object requires beyond its fields' own types.
  private constraints(schema: JsonSchema): string[] {
    const notes: string[] = [];
    const count = (n: number) => `${n} field${n === 1 ? "" : "s"}`;
    if (schema.minProperties !== undefined && schema.minProperties === schema.maxProperties) {
      notes.push(`Exactly ${count(schema.minProperties)}.`);
    } else {
      if (schema.minProperties !== undefined) notes.push(`At least ${count(schema.minProperties)}.`);
      if (schema.maxProperties !== undefined) notes.push(`At most ${count(schema.maxProperties)}.`);
    }
    if (schema.oneOf) notes.push(`Exactly one of ${this.variants(schema.oneOf)}.`);
    if (schema.anyOf) notes.push(`At least one of ${this.variants(schema.anyOf)}.`);
    if (schema.not && schema.not.const === undefined) notes.push(this.never(schema.not));
    if (schema.if && schema.then) {
      const otherwise = schema.else ? `; otherwise ${this.condition(schema.else)}` : "";
      notes.push(`When ${this.condition(schema.if)}: ${this.condition(schema.then)}${otherwise}.`);
    } else if (schema.if && schema.else) {
      notes.push(`Unless ${this.condition(schema.if)}: ${this.condition(schema.else)}.`);
    }
    return notes;
  }

  private variants(variants: JsonSchema[]): string {
    const texts = variants.map((v) => {
      const names = (v.required ?? []).map(code).join(" and ");
      const without = (v.not?.required ?? []).map((r) => `without ${code(r)}`).join(", ");
      return (names || this.typeText(v)) + (without ? ` (${without})` : "");
    });
    return texts.some((t) => t.includes(" and ")) ? texts.join("; or ") : orList(texts);
  }

  private never(not: JsonSchema): string {
    const names = (not.required ?? []).map(code);
    const others = (not.anyOf ?? []).flatMap((v) => (v.required ?? []).map(code));
    if (others.length > 0) return `${names.join(" and ")} excludes ${list(others, "and")}.`;
    if (names.length > 1) return `${names.join(" and ")} exclude each other.`;
    if (names.length === 1) return `${names[0]} is not allowed.`;
    return `Never: ${this.condition(not)}.`;
  }

  // A phrase for a schema used as a condition: enum and const fields, required and forbidden names.
  private condition(schema: JsonSchema): string {
    const parts: string[] = [];
    for (const [name, field] of Object.entries(schema.properties ?? {})) {
      const values = field.enum ?? (field.const === undefined ? [] : [field.const]);
      if (values.length > 0) parts.push(`${code(name)} is ${orList(values.map(literal))}`);
    }
    const required = (schema.required ?? []).filter((name) => !schema.properties?.[name]);
    if (required.length > 0)
      parts.push(`${required.map(code).join(" and ")} ${required.length > 1 ? "are" : "is"} required`);
    const forbidden = schema.not?.required ?? [];
    if (forbidden.length > 0)
      parts.push(`${forbidden.map(code).join(" and ")} ${forbidden.length > 1 ? "are" : "is"} not allowed`);
    return parts.join(" and ");
  }

  private tableText(heading: string, intro: string[], rows: Row[], notes: string[], withRequired: boolean): string {
    const head = withRequired
      ? "| Field | Type | Required | Description |\n| --- | --- | --- | --- |"
      : "| Name | Type | Description |\n| --- | --- | --- |";
    const lines = rows.map((r) =>
      withRequired
        ? `| ${code(r.path)} | ${r.type} | ${r.required ? "yes" : ""} | ${prose(r.description)} |`
        : `| ${code(r.path)} | ${r.type} | ${prose(r.description)} |`,
    );
    const blocks = [`### ${heading}`, ...intro.filter((t) => t !== ""), [head, ...lines].join("\n")];
    if (notes.length > 0) blocks.push(notes.map((n) => `- ${n}`).join("\n"));
    return blocks.join("\n\n");
  }
}

/** The Markdown reference of `schema`, unformatted: one table per object, then the value types. */
export function renderReference(schema: JsonSchema): string {
  return new Reference(schema).render();
}

/** The README section of `filter` (under `root`), markers included, formatted as prettier formats the README. */
export async function referenceSection(filter: string, root = "."): Promise<string> {
  const readme = join(root, "filters", filter, "README.md");
  const body = [
    "## Configuration reference",
    `Generated from [${code("config.schema.json")}](config.schema.json) by ${code("npm run docs:config")}: ` +
      "edit the schema and rerun it, not this section.",
    renderReference(readSchema(filter, root)),
  ].join("\n\n");
  const formatted = await format(body, { ...(await resolveConfig(readme)), filepath: readme });
  return `${START_MARKER}\n\n${formatted.trimEnd()}\n\n${END_MARKER}`;
}

/** The text between and including the markers of `readme`, or null when the markers are missing. */
export function markedSection(readme: string): string | null {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  return start < 0 || end < start ? null : readme.slice(start, end + END_MARKER.length);
}

/** `readme` with its marked section replaced by `section`, or null when the markers are missing. */
export function withSection(readme: string, section: string): string | null {
  const current = markedSection(readme);
  return current === null ? null : readme.replace(current, () => section);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const filter of filtersWithSchemas()) {
    const path = join("filters", filter, "README.md");
    const updated = withSection(readFileSync(path, "utf8"), await referenceSection(filter));
    if (updated === null) throw new Error(`${path}: add ${START_MARKER} and ${END_MARKER} where the reference goes`);
    writeFileSync(path, updated);
    console.log(`wrote ${path}`);
  }
}
