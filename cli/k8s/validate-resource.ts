// Validates Kubernetes resources envoy-as writes (Istio WasmPlugin and TrafficExtension, Envoy Gateway
// EnvoyExtensionPolicy) as the API server would: the vendored schema through ajv, its CEL rules by
// hand, list-map keys, metadata names, and each plugin's configuration against its filter's schema.

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { celRule } from "./cel-rules.js";
import { KNOWN_KINDS, type KnownKind, loadSchema, type SchemaNode } from "./crd-schema.js";
import { pluginConfigProblems } from "./plugin-config.js";
import { ajvProblems, childPath } from "./problems.js";

type Node = Record<string, unknown>;

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const INT32 = 2 ** 31;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const validators = new Map<KnownKind, { schema: SchemaNode; validate: ValidateFunction }>();

function validatorFor(known: KnownKind): { schema: SchemaNode; validate: ValidateFunction } {
  let entry = validators.get(known);
  if (!entry) {
    const ajv = new Ajv({ allErrors: true });
    for (const keyword of [
      "x-kubernetes-validations",
      "x-kubernetes-preserve-unknown-fields",
      "x-kubernetes-list-type",
      "x-kubernetes-list-map-keys",
      "x-kubernetes-int-or-string",
    ])
      ajv.addKeyword(keyword);
    ajv.addFormat("int32", {
      type: "number",
      validate: (n: number) => Number.isInteger(n) && n >= -INT32 && n < INT32,
    });
    ajv.addFormat("date-time", RFC3339);
    const schema = loadSchema(known);
    entry = { schema, validate: ajv.compile(schema) };
    validators.set(known, entry);
  }
  return entry;
}

/** True when `document` looks like a Kubernetes object (string apiVersion and kind). */
export function isKubernetesResource(document: unknown): boolean {
  return isNode(document) && typeof document["apiVersion"] === "string" && typeof document["kind"] === "string";
}

function uniqueEntries(schema: SchemaNode, list: unknown[], path: string, problems: string[]): void {
  const type = schema["x-kubernetes-list-type"];
  if (type !== "map" && type !== "set") return;
  const mapKeys = (schema["x-kubernetes-list-map-keys"] as string[] | undefined) ?? [];
  const seen = new Set<string>();
  list.forEach((item, index) => {
    const key = JSON.stringify(type === "map" && isNode(item) ? mapKeys.map((name) => item[name]) : item);
    if (seen.has(key))
      problems.push(
        `${childPath(path, index)}: duplicate entry${type === "map" ? ` (${mapKeys.join(", ")} ${key})` : ""}`,
      );
    seen.add(key);
  });
}

/** Runs the schema's CEL rules (by hand) and list-map uniqueness over `value`. */
function checkRules(schema: unknown, value: unknown, path: string, problems: string[]): void {
  if (!isNode(schema) || value === undefined || value === null) return;
  for (const rule of (schema["x-kubernetes-validations"] as Node[] | undefined) ?? []) {
    const check = celRule(String(rule["rule"]));
    if (check && !check.holds(value))
      problems.push(`${path || "(top level)"}: ${String(rule["message"])} (CEL rule ${check.name})`);
  }
  if (Array.isArray(value)) {
    uniqueEntries(schema, value, path, problems);
    value.forEach((item, index) => checkRules(schema["items"], item, childPath(path, index), problems));
  } else if (isNode(value)) {
    const properties = isNode(schema["properties"]) ? schema["properties"] : {};
    for (const [key, child] of Object.entries(value)) {
      const childSchema = properties[key] ?? schema["additionalProperties"];
      checkRules(childSchema, child, childPath(path, key), problems);
    }
  }
}

function metadataProblems(metadata: unknown): string[] {
  if (!isNode(metadata)) return ["metadata: required, with a name"];
  const problems: string[] = [];
  const name = metadata["name"];
  if (typeof name !== "string" || name.length > 253 || !DNS_SUBDOMAIN.test(name))
    problems.push("metadata.name: must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)");
  const namespace = metadata["namespace"];
  if (namespace !== undefined && (typeof namespace !== "string" || namespace.length > 63 || !DNS_LABEL.test(namespace)))
    problems.push("metadata.namespace: must be a DNS-1123 label (lower-case letters, digits and '-', at most 63)");
  for (const field of ["labels", "annotations"]) {
    const map = metadata[field];
    if (map !== undefined && (!isNode(map) || Object.values(map).some((value) => typeof value !== "string")))
      problems.push(`metadata.${field}: must map names to strings`);
  }
  return problems;
}

/** Each Wasm plugin in the resource whose name is a filter with a schema: [plugin name, config, path]. */
function plugins(kind: string, spec: Node): [unknown, unknown, string][] {
  if (kind === "WasmPlugin") return [[spec["pluginName"], spec["pluginConfig"], "spec.pluginConfig"]];
  if (kind === "TrafficExtension" && isNode(spec["wasm"]))
    return [[spec["wasm"]["pluginName"], spec["wasm"]["pluginConfig"], "spec.wasm.pluginConfig"]];
  if (kind === "EnvoyExtensionPolicy" && Array.isArray(spec["wasm"]))
    return spec["wasm"].map((item, index) => {
      const node = isNode(item) ? item : {};
      return [node["rootID"], node["config"], `spec.wasm[${index}].config`];
    });
  return [];
}

/** Problems of one resource ("<path>: <reason>"); empty when the API server and the plugin would accept it. */
export function validateResource(resource: unknown, cwd = process.cwd()): string[] {
  if (!isKubernetesResource(resource)) return ["(top level): not a Kubernetes object (apiVersion and kind)"];
  const object = resource as Node;
  const known = KNOWN_KINDS.find((item) => item.kind === object["kind"] && item.apiVersion === object["apiVersion"]);
  if (!known) {
    const kinds = KNOWN_KINDS.map((item) => `${item.apiVersion} ${item.kind}`).join(", ");
    return [
      `(top level): envoy-as cannot check ${String(object["apiVersion"])} ${String(object["kind"])} (it checks ${kinds})`,
    ];
  }
  const { schema, validate } = validatorFor(known);
  const problems = validate(object) ? [] : ajvProblems(validate.errors as ErrorObject[]);
  problems.push(...metadataProblems(object["metadata"]));
  checkRules(schema, object, "", problems);
  if (isNode(object["spec"]))
    for (const [name, config, path] of plugins(known.kind, object["spec"]))
      if (typeof name === "string" && config !== undefined)
        problems.push(...(pluginConfigProblems(name, config, path, cwd) ?? []));
  return [...new Set(problems)];
}

/** Problems of every document of a YAML text; with several documents each line names its document. */
export function validateResourcesText(text: string, cwd = process.cwd()): string[] {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  const live = list.filter((document) => document.errors.length > 0 || document.contents !== null);
  return live.flatMap((document, index) => {
    const label = live.length > 1 ? `document ${index + 1}: ` : "";
    if (document.errors.length > 0) return document.errors.map((error) => `${label}${error.message}`);
    return validateResource(document.toJS(), cwd).map((problem) => `${label}${problem}`);
  });
}

/** How `validateResourcesText` checks, for `envoy-as validate` to print. */
export const RESOURCE_CHECK = "offline, against the vendored CRD schema, its CEL rules and the filter's config schema";

/** True when the first document of a YAML text is a Kubernetes object rather than an Envoy bootstrap. */
export function holdsKubernetesResources(text: string): boolean {
  const documents = parseAllDocuments(text);
  const first = (Array.isArray(documents) ? documents : [documents]).find((document) => document.contents !== null);
  return first !== undefined && first.errors.length === 0 && isKubernetesResource(first.toJS());
}
