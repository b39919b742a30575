// Checks a Wasm plugin's configuration against its filter's filters/<name>/config.schema.json
// (JSON Schema 2020-12, ajv): first the project in the current directory, then envoy-as's own filters.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { packageRoot } from "./crd-schema.js";
import { ajvProblems } from "./problems.js";

const compiled = new Map<string, ValidateFunction>();

/** The config.schema.json of filter `name`: under `cwd` first, else shipped with envoy-as; null when neither has one. */
export function filterSchemaPath(name: string, cwd = process.cwd()): string | null {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) return null;
  for (const root of [cwd, packageRoot()]) {
    const path = join(root, "filters", name, "config.schema.json");
    if (existsSync(path)) return path;
  }
  return null;
}

/** Problems of `config` for filter `name`, each "<path>: <reason>" under `path`; null when the filter has no schema. */
export function pluginConfigProblems(
  name: string,
  config: unknown,
  path: string,
  cwd = process.cwd(),
): string[] | null {
  const schemaPath = filterSchemaPath(name, cwd);
  if (schemaPath === null) return null;
  let validate = compiled.get(schemaPath);
  if (!validate) {
    validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
    compiled.set(schemaPath, validate);
  }
  return validate(config) ? [] : ajvProblems(validate.errors as ErrorObject[], path);
}
