// Checks the docs' JSON and YAML snippets: filter configurations against the filter's
// config.schema.json and by loading the built filter in the harness (on_configure must accept
// them), scenarios by running them, Envoy YAML against Envoy's API protos (cli/bootstrap-checks.ts)
// and the references cli/validate.ts checks, Kubernetes resources as `envoy-as validate` does.

import { existsSync } from "node:fs";
import { Ajv2020, type ErrorObject } from "ajv/dist/2020.js";
import { parseAllDocuments } from "yaml";
import { BootstrapSchemaCheck, EnvoyProtos } from "../../cli/bootstrap-checks.js";
import { pluginConfigProblems } from "../../cli/k8s/plugin-config.js";
import { ajvProblems } from "../../cli/k8s/problems.js";
import { isKubernetesResource, validateResource } from "../../cli/k8s/validate-resource.js";
import { checkReferences } from "../../cli/validate.js";
import { HostEnvironment, parseScenario, Plugin, runScenario } from "../../harness/index.js";

const HTTP_FILTER = "envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter";

/** Parses a JSON snippet: a whole document, or a list of object members (`"name": value, ...`) read inside braces. */
export function parseJsonSnippet(code: string): { value: unknown; fragment: boolean } {
  try {
    return { value: JSON.parse(code), fragment: false };
  } catch (error) {
    try {
      return { value: JSON.parse(`{${code}}`), fragment: true };
    } catch {
      throw error;
    }
  }
}

function clustersNamed(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => clustersNamed(item, found));
  else if (typeof value === "object" && value !== null)
    for (const [key, child] of Object.entries(value)) {
      if (key.endsWith("cluster") && typeof child === "string") found.add(child);
      clustersNamed(child, found);
    }
  return found;
}

/** Problems of `config` against JSON Schema (2020-12) `schema`, as `envoy-as validate` words them; throws for a bad schema. */
export function schemaProblems(schema: object, config: unknown): string[] {
  const validate = new Ajv2020({ allErrors: true }).compile(schema);
  return validate(config) ? [] : ajvProblems(validate.errors as ErrorObject[], "(config)");
}

/**
 * Problems of `config` as filter `filter`'s configuration: its config.schema.json, or `docSchema`
 * (a schema the docs give it), then on_configure in `wasm`.
 */
export async function configProblems(
  filter: string,
  wasm: string,
  config: unknown,
  docSchema?: object,
): Promise<string[]> {
  const schema = docSchema
    ? schemaProblems(docSchema, config)
    : (pluginConfigProblems(filter, config, "(config)") ?? []);
  if (schema.length > 0) return schema;
  if (!existsSync(wasm)) return [`${wasm} does not exist (build it with npm run build)`];
  const environment = new HostEnvironment({ clusters: [...clustersNamed(config, new Set())] });
  const plugin = await Plugin.load(wasm, { rootId: filter, configuration: config as object, environment });
  return plugin.status === "running"
    ? []
    : [`${filter} refused it (${plugin.status}): ${plugin.logMessages().join(" | ")}`];
}

/** Problems of a scenario snippet run against `wasm`: a parse error, a refused plugin, or steps that did not run. */
export async function scenarioProblems(value: unknown, wasm: string): Promise<string[]> {
  const scenario = parseScenario(value);
  const transcript = await runScenario(wasm, scenario);
  if (transcript.steps.length !== scenario.steps.length)
    return [`only ${transcript.steps.length} of ${scenario.steps.length} steps ran (did the plugin start?)`];
  return [];
}

/** The project-relative module a scenario names: its `module` with the leading "../" parts dropped. */
export function scenarioModule(value: unknown): string | null {
  const module = (value as { module?: unknown }).module;
  return typeof module === "string" ? module.replace(/^(\.\.\/)+/, "") : null;
}

/** Problems of a YAML snippet; `builtWasm` says whether a Wasm file it names is one the build or this test makes. */
export function yamlProblems(code: string, builtWasm: (path: string) => boolean): string[] {
  const problems: string[] = [];
  const protos = new EnvoyProtos();
  for (const document of parseAllDocuments(code)) {
    if (document.errors.length > 0) {
      problems.push(...document.errors.map((error) => error.message));
      continue;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (isKubernetesResource(value)) {
      problems.push(...validateResource(value));
      continue;
    }
    const fragment = Array.isArray(value);
    const filters = fragment ? value : [];
    const checked = fragment
      ? filters.flatMap((entry, index) =>
          new BootstrapSchemaCheck(protos).check(entry, HTTP_FILTER).map((problem) => `[${index}]${problem}`),
        )
      : new BootstrapSchemaCheck(protos).check(value);
    // Only a whole bootstrap defines its clusters; a part of one names clusters defined elsewhere.
    const whole = !fragment && typeof value === "object" && "static_resources" in value;
    const references = checkReferences(fragment ? { filters } : value, process.cwd()).filter((problem) => {
      const wasm = /Wasm file "([^"]+)" does not exist/.exec(problem);
      return wasm ? !builtWasm(wasm[1]!) : whole;
    });
    problems.push(...checked, ...references);
  }
  return problems;
}
