// The `x-kubernetes-validations` CEL rules of the schemas we vendor, written by hand (ajv does not run
// CEL). Keyed by the rule's text, so a schema update with a new rule fails loudly (see `celRule`).
// Rules: istio/api kubernetes/customresourcedefinitions.gen.yaml (WasmPlugin, TrafficExtension) and
// our EnvoyExtensionPolicy schema (schemas/envoy-gateway/, from Envoy Gateway's API types).

import { requestUriScheme, urlScheme } from "./go-url.js";

/** One CEL rule: a short name for error messages and its check of `self` (true when it holds). */
export interface CelRule {
  /** A short, stable name printed with the rule's message. */
  name: string;
  /** Evaluates the rule on the value it is attached to; values of the wrong type pass (ajv reports them). */
  holds(self: unknown): boolean;
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** CEL `has(self.field)`: the field is present (Kubernetes drops nulls of non-nullable fields first). */
function has(self: unknown, field: string): boolean {
  return isNode(self) && self[field] !== undefined && self[field] !== null;
}

function count(self: unknown, fields: string[]): number {
  return fields.filter((field) => has(self, field)).length;
}

function keys(self: unknown): string[] {
  return isNode(self) ? Object.keys(self) : [];
}

const URL_SCHEMES = ["", "http", "https", "oci", "file"];

/** Istio's url rule: a URL with an allowed scheme, or text that is one after "http://" (no scheme means oci). */
export function urlSchemeAllowed(url: string): boolean {
  // url() parses again with url.Parse; when that refuses, CEL evaluation fails and so does the rule.
  const text = requestUriScheme(url) !== null ? url : `http://${url}`;
  if (requestUriScheme(text) === null) return false;
  const scheme = urlScheme(text);
  return scheme !== null && URL_SCHEMES.includes(scheme);
}

const GATEWAY_KINDS = ["Gateway", "HTTPRoute", "GRPCRoute", "UDPRoute", "TCPRoute", "TLSRoute", "ListenerSet"];

function codeSource(type: string, field: string): CelRule {
  return {
    name: `${field}-iff-${type}`,
    holds: (self) => !isNode(self) || (self["type"] === type) === has(self, field),
  };
}

function rules(): Map<string, CelRule> {
  const url: CelRule = {
    name: "url-scheme",
    holds: (self) => typeof self !== "string" || urlSchemeAllowed(self),
  };
  const scheme = (order: string) =>
    `isURL(self) ? (url(self).getScheme() in [${order}]) : (isURL("http://" + self) && ` +
    `url("http://" + self).getScheme() in [${order}])`;
  const entries: [string, CelRule][] = [
    [
      "(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1",
      { name: "single-target", holds: (self) => count(self, ["selector", "targetRef", "targetRefs"]) <= 1 },
    ],
    [
      "(has(self.selector) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1",
      { name: "single-target", holds: (self) => count(self, ["selector", "targetRefs"]) <= 1 },
    ],
    [
      "has(self.wasm) != has(self.lua)",
      { name: "wasm-or-lua", holds: (self) => has(self, "wasm") !== has(self, "lua") },
    ],
    [
      'self.all(key, !key.contains("*"))',
      { name: "label-key-no-wildcard", holds: (self) => keys(self).every((key) => !key.includes("*")) },
    ],
    [
      "self.all(key, key.size() != 0)",
      { name: "label-key-not-empty", holds: (self) => keys(self).every((key) => key.length !== 0) },
    ],
    [
      '!self.contains("*")',
      { name: "label-value-no-wildcard", holds: (self) => typeof self !== "string" || !self.includes("*") },
    ],
    ["self.size() == 0", { name: "same-namespace", holds: (self) => typeof self !== "string" || self.length === 0 }],
    [scheme(`"", "http", "https", "oci", "file"`), url],
    [scheme(`"", "http", "https", "file", "oci"`), url],
    [
      '(has(self.valueFrom) ? self.valueFrom : "") != "HOST" || !has(self.value)',
      {
        name: "host-env-without-value",
        holds: (self) => !isNode(self) || self["valueFrom"] !== "HOST" || !has(self, "value"),
      },
    ],
    [
      "(has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) + (has(self.targetSelectors) ? 1 : 0) == 1",
      { name: "one-target-form", holds: (self) => count(self, ["targetRef", "targetRefs", "targetSelectors"]) === 1 },
    ],
    [
      "self.group == 'gateway.networking.k8s.io'",
      { name: "target-group", holds: (self) => !isNode(self) || self["group"] === "gateway.networking.k8s.io" },
    ],
    [
      `self.kind in [${GATEWAY_KINDS.map((kind) => `'${kind}'`).join(", ")}]`,
      { name: "target-kind", holds: (self) => !isNode(self) || GATEWAY_KINDS.includes(String(self["kind"])) },
    ],
    ["self.type == 'HTTP' ? has(self.http) : !has(self.http)", codeSource("HTTP", "http")],
    ["self.type == 'Image' ? has(self.image) : !has(self.image)", codeSource("Image", "image")],
  ];
  return new Map(entries);
}

let known: Map<string, CelRule> | undefined;

/** The hand-written rule for a CEL rule text (whitespace-insensitive); null when we have none. */
export function celRule(text: string): CelRule | null {
  known ??= new Map([...rules()].map(([rule, check]) => [normalise(rule), check]));
  return known.get(normalise(text)) ?? null;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")").trim();
}
