// Loads a vendored CustomResourceDefinition's openAPIV3Schema (schemas/) and makes it as strict as
// the API server: objects with listed properties refuse unknown fields (structural-schema pruning,
// or kubectl's strict field validation), and every CEL rule must have a hand-written check.

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { celRule } from "./cel-rules.js";

/** An OpenAPI v3 schema node as a CRD writes it. */
export type SchemaNode = Record<string, unknown>;

/** A resource kind we validate, and where its schema lives under the package's schemas/ folder. */
export interface KnownKind {
  /** `apiVersion` of the resource, e.g. "extensions.istio.io/v1alpha1". */
  apiVersion: string;
  /** `kind` of the resource. */
  kind: string;
  /** The schema file, relative to schemas/. */
  file: string;
}

/** The kinds `validateResource` knows. */
export const KNOWN_KINDS: KnownKind[] = [
  { apiVersion: "extensions.istio.io/v1alpha1", kind: "WasmPlugin", file: "istio/wasmplugin.crd.yaml" },
  { apiVersion: "extensions.istio.io/v1alpha1", kind: "TrafficExtension", file: "istio/trafficextension.crd.yaml" },
  {
    apiVersion: "gateway.envoyproxy.io/v1alpha1",
    kind: "EnvoyExtensionPolicy",
    file: "envoy-gateway/envoyextensionpolicy.schema.yaml",
  },
];

/** The envoy-as package folder (the one holding schemas/), from src (cli/k8s) or build (dist/cli/k8s). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function isNode(value: unknown): value is SchemaNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Replaces `$ref: "#/definitions/x"` by a copy of the definition (our own schema uses them). */
function inline(node: unknown, definitions: SchemaNode): unknown {
  if (Array.isArray(node)) return node.map((item) => inline(item, definitions));
  if (!isNode(node)) return node;
  const ref = node["$ref"];
  if (typeof ref === "string") {
    const target = definitions[ref.replace("#/definitions/", "")];
    if (!isNode(target)) throw new Error(`schema: unresolved $ref ${ref}`);
    return inline(target, definitions);
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== "definitions")
      .map(([key, value]) => [key, key === "properties" ? inlineAll(value, definitions) : inline(value, definitions)]),
  );
}

function inlineAll(properties: unknown, definitions: SchemaNode): unknown {
  if (!isNode(properties)) return properties;
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, inline(value, definitions)]));
}

/** Adds `additionalProperties: false` to every object schema listing properties without preserving unknown fields. */
export function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!isNode(node)) return node;
  const closed: SchemaNode = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === "properties" ? closeAll(value) : closeObjects(value)]),
  );
  if (isNode(node["properties"]) && node["x-kubernetes-preserve-unknown-fields"] !== true)
    closed["additionalProperties"] ??= false;
  return closed;
}

function closeAll(properties: unknown): unknown {
  if (!isNode(properties)) return properties;
  return Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, closeObjects(value)]));
}

/** Every CEL rule text in a schema, with the schema path it sits at. */
export function celRuleTexts(node: unknown, path = ""): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((item, index) => celRuleTexts(item, `${path}/${index}`));
  if (!isNode(node)) return [];
  const own = Array.isArray(node["x-kubernetes-validations"])
    ? (node["x-kubernetes-validations"] as SchemaNode[]).map((rule): [string, string] => [path, String(rule["rule"])])
    : [];
  return [
    ...own,
    ...Object.entries(node)
      .filter(([key]) => key !== "x-kubernetes-validations")
      .flatMap(([key, value]) => celRuleTexts(value, `${path}/${key}`)),
  ];
}

/** The strict openAPIV3Schema of `known` (served version = the one in its apiVersion); throws on an unknown CEL rule. */
export function loadSchema(known: KnownKind, root = packageRoot()): SchemaNode {
  const crd: unknown = parse(readFileSync(join(root, "schemas", known.file), "utf8"));
  const version = known.apiVersion.split("/")[1];
  const versions = isNode(crd) && isNode(crd["spec"]) ? crd["spec"]["versions"] : undefined;
  const entry = Array.isArray(versions) ? versions.find((item) => isNode(item) && item["name"] === version) : undefined;
  const raw = isNode(entry) && isNode(entry["schema"]) ? entry["schema"]["openAPIV3Schema"] : undefined;
  if (!isNode(raw)) throw new Error(`schemas/${known.file}: no openAPIV3Schema for version ${version}`);
  const definitions = isNode(raw["definitions"]) ? raw["definitions"] : {};
  const schema = inline(raw, definitions) as SchemaNode;
  const missing = celRuleTexts(schema).filter(([, rule]) => celRule(rule) === null);
  if (missing.length > 0)
    throw new Error(
      `schemas/${known.file}: CEL rule without a check: ${missing.map(([at, rule]) => `${at}: ${rule}`)[0]}`,
    );
  // The CRD's root lists only spec and status; apiVersion, kind and metadata are every object's own.
  const properties = {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    ...(schema["properties"] as SchemaNode),
  };
  return closeObjects({ ...schema, properties }) as SchemaNode;
}
