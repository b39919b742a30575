// Turns ajv errors and value paths into the one-line problems envoy-as prints: "<path>: <reason>",
// paths written as YAML readers think of them (spec.match[0].mode, labels["app.kubernetes.io/name"]).

import type { ErrorObject } from "ajv";

/** `path` extended by an object key or an array index. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (!/^[A-Za-z_$@][\w$@-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

/** A JSON pointer (ajv's instancePath) as a path under `base`. */
export function pointerPath(pointer: string, base = ""): string {
  return pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<string>((path, part) => childPath(path, /^\d+$/.test(part) ? Number(part) : part), base);
}

function reason(error: ErrorObject): [string, string] {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return [String(params["additionalProperty"]), "unknown field"];
    case "unevaluatedProperties":
      return [String(params["unevaluatedProperty"]), "unknown field"];
    case "required":
      return [String(params["missingProperty"]), "required field is missing"];
    case "enum":
      return [
        "",
        `must be one of ${(params["allowedValues"] as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`,
      ];
    case "pattern":
      return ["", `must match the pattern ${String(params["pattern"])}`];
    default:
      return ["", error.message ?? error.keyword];
  }
}

/** One problem line per ajv error, under `base`; errors inside anyOf/oneOf branches are left to their summary. */
export function ajvProblems(errors: ErrorObject[], base = ""): string[] {
  const lines = errors
    .filter((error) => !/\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath))
    .map((error) => {
      const [key, text] = reason(error);
      const path = pointerPath(error.instancePath, base);
      return `${key ? childPath(path, key) : path || "(top level)"}: ${text}`;
    });
  return [...new Set(lines)];
}
