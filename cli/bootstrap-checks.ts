// Checks an Envoy v3 bootstrap (YAML already parsed) against Envoy's own API protos, reading it the
// way protobuf's JSON parser does for Envoy: unknown fields, wrong JSON kinds, enum names, Any by
// "@type", well-known types (https://protobuf.dev/programming-guides/json/) and oneofs. The protos
// are the envoy-api, xds, googleapis and protoc-gen-validate trees that @grpc/grpc-js-xds bundles.

import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";

/** The message type of an Envoy v3 bootstrap file. */
export const BOOTSTRAP_TYPE = "envoy.config.bootstrap.v3.Bootstrap";

const TYPE_URL_PREFIX = "type.googleapis.com/";
const WRAPPERS = ["Double", "Float", "Int64", "UInt64", "Int32", "UInt32", "Bool", "String", "Bytes"];
const INTEGER_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  sint32: [-(2 ** 31), 2 ** 31 - 1],
  sfixed32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  fixed32: [0, 2 ** 32 - 1],
  int64: [-(2 ** 63), 2 ** 63],
  sint64: [-(2 ** 63), 2 ** 63],
  sfixed64: [-(2 ** 63), 2 ** 63],
  uint64: [0, 2 ** 64],
  fixed64: [0, 2 ** 64],
};

/**
 * Fields Envoy 1.40 reads that the protos bundled by @grpc/grpc-js-xds predate, with their enums
 * (source: envoyproxy/envoy api/envoy/extensions/wasm/v3/wasm.proto; names confirmed with Envoy 1.40).
 */
const NEWER_FIELDS = [
  {
    message: "envoy.extensions.wasm.v3.PluginConfig",
    field: "failure_policy",
    id: 7,
    enumName: "FailurePolicy",
    enumValues: { UNSPECIFIED: 0, FAIL_RELOAD: 1, FAIL_CLOSED: 2, FAIL_OPEN: 3 },
  },
];

/** Envoy's API protos, loaded one package directory at a time as a message type is first needed. */
export class EnvoyProtos {
  private readonly root = new protobuf.Root();
  private readonly loadedDirs = new Set<string>();
  private readonly includeDirs: string[];

  constructor() {
    const require = createRequire(import.meta.url);
    const xds = dirname(require.resolve("@grpc/grpc-js-xds/package.json"));
    const pbjs = dirname(require.resolve("protobufjs/package.json"));
    this.includeDirs = [
      ...["envoy-api", "xds", "googleapis", "protoc-gen-validate"].map((tree) => join(xds, "deps", tree)),
      pbjs,
    ];
    this.root.resolvePath = (_origin, target) =>
      this.includeDirs.map((dir) => join(dir, target)).find((path) => existsSync(path)) ?? target;
  }

  /** The message type named `fullName` (no leading dot), or null when no bundled proto declares it. */
  message(fullName: string): protobuf.Type | null {
    const found = this.lookup(fullName);
    if (found) return found;
    // A nested type's package is a prefix of its name, so try each prefix as a proto directory.
    const parts = fullName.split(".");
    for (let end = parts.length - 1; end > 0; end--) {
      const packageDir = parts.slice(0, end).join("/");
      const dir = this.includeDirs.map((include) => join(include, packageDir)).find((path) => existsSync(path));
      if (!dir || this.loadedDirs.has(dir)) continue;
      this.loadedDirs.add(dir);
      const files = readdirSync(dir).filter((name) => name.endsWith(".proto"));
      try {
        this.root.loadSync(
          files.map((name) => join(packageDir, name)),
          { keepCase: true },
        );
      } catch {
        // Some bundled v2 protos import files the bundle lacks; what did load stays usable, and
        // types are resolved one field at a time, so the gap only shows where such a type is used.
      }
      this.addNewerFields();
      return this.lookup(fullName);
    }
    return null;
  }

  private addNewerFields(): void {
    for (const newer of NEWER_FIELDS) {
      const type = this.lookup(newer.message);
      if (!type || type.fields[newer.field]) continue;
      type.parent!.add(new protobuf.Enum(newer.enumName, newer.enumValues));
      type.add(new protobuf.Field(newer.field, newer.id, newer.enumName));
    }
  }

  private lookup(fullName: string): protobuf.Type | null {
    const found = this.root.lookup(fullName);
    return found instanceof protobuf.Type ? found : null;
  }
}

type Json = unknown;

function kindOf(value: Json): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function lowerCamel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_value, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function closest(key: string, names: string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const name of names) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best;
}

function isIntegerText(value: Json): boolean {
  return typeof value === "string" && /^-?\d+$/.test(value);
}

/** Walks one bootstrap, collecting one "path: problem" line per problem. */
export class BootstrapSchemaCheck {
  readonly problems: string[] = [];
  private readonly fieldNames = new WeakMap<protobuf.Type, Map<string, protobuf.Field>>();

  constructor(private readonly protos: EnvoyProtos) {}

  /** Checks `value` as a message of type `fullName`; returns the problems found so far. */
  check(value: Json, fullName = BOOTSTRAP_TYPE): string[] {
    const type = this.protos.message(fullName);
    if (!type) this.report("", `message type ${fullName} is not in the bundled protos`);
    else this.message(type, value, "");
    return this.problems;
  }

  private report(path: string, problem: string): void {
    this.problems.push(`${path || "(top level)"}: ${problem}`);
  }

  private fieldsOf(type: protobuf.Type): Map<string, protobuf.Field> {
    let names = this.fieldNames.get(type);
    if (!names) {
      names = new Map();
      for (const field of type.fieldsArray) {
        names.set(field.name, field);
        names.set(lowerCamel(field.name), field);
        const jsonName = (field.options as Record<string, unknown> | undefined)?.["json_name"];
        if (typeof jsonName === "string") names.set(jsonName, field);
      }
      this.fieldNames.set(type, names);
    }
    return names;
  }

  private message(type: protobuf.Type, value: Json, path: string): void {
    if (this.wellKnown(type.fullName.slice(1), value, path)) return;
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.report(path, `expected an object (${type.name}), got ${kindOf(value)}`);
      return;
    }
    const names = this.fieldsOf(type);
    const seen = new Map<protobuf.Field, string>();
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      const field = names.get(key);
      if (!field) {
        const suggestion = closest(key, [...names.keys()]);
        this.report(childPath, `unknown field${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`);
        continue;
      }
      if (seen.has(field)) this.report(childPath, `field set twice (also as "${seen.get(field)}")`);
      seen.set(field, key);
      if (child !== null) this.field(field, child, childPath);
    }
    for (const oneof of type.oneofsArray) {
      const set = oneof.fieldsArray.filter((field) => seen.has(field) && this.isSet(value, seen.get(field)!));
      if (set.length > 1) {
        const members = set.map((field) => `"${seen.get(field)}"`).join(" and ");
        this.report(path, `${members} are both set, but only one member of oneof "${oneof.name}" may be`);
      }
    }
  }

  private isSet(object: object, key: string): boolean {
    return (object as Record<string, Json>)[key] !== null;
  }

  private field(field: protobuf.Field, value: Json, path: string): void {
    if (field instanceof protobuf.MapField) {
      if (typeof value !== "object" || Array.isArray(value)) {
        this.report(path, `expected a map (an object), got ${kindOf(value)}`);
        return;
      }
      for (const [key, entry] of Object.entries(value as object)) this.single(field, entry, `${path}["${key}"]`);
    } else if (field.repeated && Array.isArray(value)) {
      value.forEach((item: Json, index) => this.single(field, item, `${path}[${index}]`));
    } else if (field.repeated) {
      // Envoy 1.40's JSON parser reads a lone value where a list is expected as a one-item list.
      this.single(field, value, path);
    } else this.single(field, value, path);
  }

  private single(field: protobuf.Field, value: Json, path: string): void {
    let resolved: protobuf.Type | protobuf.Enum | null;
    try {
      resolved = field.resolve().resolvedType;
    } catch {
      this.report(path, `cannot check: type ${field.type} is missing from the bundled protos`);
      return;
    }
    if (resolved instanceof protobuf.Type) this.message(resolved, value, path);
    else if (resolved instanceof protobuf.Enum) this.enumValue(resolved, value, path);
    else this.scalar(field.type, value, path);
  }

  private enumValue(type: protobuf.Enum, value: Json, path: string): void {
    if (typeof value === "number" && Number.isInteger(value)) return;
    if (typeof value === "string" && value in type.values) return;
    if (typeof value === "string") {
      const suggestion = closest(value, Object.keys(type.values));
      this.report(path, `unknown ${type.name} value "${value}"${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`);
    } else this.report(path, `expected a ${type.name} name, got ${kindOf(value)}`);
  }

  private scalar(type: string, value: Json, path: string): void {
    const range = INTEGER_RANGES[type];
    if (range) {
      const number = typeof value === "number" ? value : isIntegerText(value) ? Number(value) : NaN;
      if (!Number.isInteger(number)) this.report(path, `expected an integer (${type}), got ${kindOf(value)}`);
      else if (number < range[0] || number > range[1])
        this.report(path, `${String(value)} is out of range for ${type}`);
    } else if (type === "double" || type === "float") {
      const numeric =
        typeof value === "number" ||
        (typeof value === "string" && (["NaN", "Infinity", "-Infinity"].includes(value) || !isNaN(Number(value))));
      if (!numeric) this.report(path, `expected a number (${type}), got ${kindOf(value)}`);
    } else if (type === "bool") {
      if (typeof value !== "boolean") this.report(path, `expected a bool, got ${kindOf(value)}`);
    } else if (type === "bytes") {
      if (typeof value !== "string" || !/^[A-Za-z0-9+/_-]*=*$/.test(value))
        this.report(path, `expected base64 bytes (a string), got ${kindOf(value)}`);
    } else if (typeof value !== "string") this.report(path, `expected a string, got ${kindOf(value)}`);
  }

  /** Checks the JSON forms protobuf gives the well-known types; false when `name` is not one of them. */
  private wellKnown(name: string, value: Json, path: string): boolean {
    if (!name.startsWith("google.protobuf.")) return false;
    const short = name.slice("google.protobuf.".length);
    if (short === "Any") this.any(value, path);
    else if (short === "Duration") {
      if (typeof value !== "string" || !/^-?\d+(\.\d{1,9})?s$/.test(value))
        this.report(path, `expected a duration such as "1s" or "0.25s", got ${JSON.stringify(value)}`);
    } else if (short === "Timestamp" || short === "FieldMask") {
      if (typeof value !== "string") this.report(path, `expected a string (${short}), got ${kindOf(value)}`);
    } else if (short === "Struct") {
      if (typeof value !== "object" || value === null || Array.isArray(value))
        this.report(path, `expected an object (Struct), got ${kindOf(value)}`);
    } else if (short === "ListValue") {
      if (!Array.isArray(value)) this.report(path, `expected a list (ListValue), got ${kindOf(value)}`);
    } else if (WRAPPERS.includes(short.replace(/Value$/, ""))) {
      this.scalar(short.replace(/Value$/, "").toLowerCase(), value, path);
    } else return short === "Value";
    return true;
  }

  private any(value: Json, path: string): void {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.report(path, `expected an object with "@type", got ${kindOf(value)}`);
      return;
    }
    const { "@type": typeUrl, ...fields } = value as Record<string, Json>;
    if (typeUrl === undefined) {
      if (Object.keys(fields).length > 0) this.report(path, `"@type" is missing`);
      return;
    }
    const typePath = `${path}.@type`;
    if (typeof typeUrl !== "string" || !typeUrl.includes("/")) {
      this.report(typePath, `expected a type URL such as "${TYPE_URL_PREFIX}<message>"`);
      return;
    }
    const fullName = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
    // The bundle still has Envoy's v2 protos, but Envoy 1.40 knows only v3 ("v3alpha") packages.
    const removedV2 = fullName.startsWith("envoy.") && !/\.v3[a-z0-9]*\./.test(fullName);
    const type = removedV2 ? null : this.protos.message(fullName);
    if (!type) {
      this.report(typePath, `unknown type "${typeUrl}"${removedV2 ? " (Envoy reads only v3 API types)" : ""}`);
      return;
    }
    // A well-known type keeps its own JSON form under "value"; other messages spread their fields.
    const inner = fullName.startsWith("google.protobuf.") && fullName !== "google.protobuf.Empty";
    if (!inner) this.message(type, fields, path);
    else if (Object.keys(fields).some((key) => key !== "value")) this.report(path, `only "@type" and "value" allowed`);
    else if (fields["value"] !== undefined) this.message(type, fields["value"], `${path}.value`);
  }
}

/** Checks a parsed bootstrap against Envoy's protos; returns one "path: problem" line per problem. */
export function checkBootstrapSchema(bootstrap: Json, protos = new EnvoyProtos()): string[] {
  return new BootstrapSchemaCheck(protos).check(bootstrap);
}
