// `envoy-as new NAME`: scaffolds filters/NAME/ (entry, config reader, contexts, JSON schema, README,
// a harness test) and envoy-configs/NAME.yaml from the templates in cli/scaffold/: a filter that
// adds configured request and response headers, builds, and passes its test as written.

import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { referenceSection, withSection } from "./config-reference.js";
import { packageRoot } from "./k8s/crd-schema.js";

/** How `new` is called. */
export const NEW_USAGE = "new NAME";

/** What a filter name may be: a DNS label (RFC 1123) starting with a letter, so it is also an image name. */
export const FILTER_NAME_RULE =
  "1-63 lowercase letters, digits and '-', starting with a letter and not ending with '-' (e.g. my-filter)";

const FILTER_NAME = /^[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A scaffold that cannot be written: the project root is not one, or the filter exists. */
export class ScaffoldError extends Error {
  override name = "ScaffoldError";
}

/** Why `name` cannot name a filter, or null when it can. */
export function filterNameProblem(name: string): string | null {
  return FILTER_NAME.test(name) ? null : `"${name}" is not a filter name: use ${FILTER_NAME_RULE}`;
}

/** The class-name prefix of filter `name`: "my-filter" gives "MyFilter". */
export function className(name: string): string {
  return name
    .split("-")
    .filter((part) => part !== "")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/** Each template of cli/scaffold/ and the file it becomes, relative to the project root. */
function targets(name: string): [template: string, path: string][] {
  const folder = join("filters", name);
  return [
    ["index.ts.tmpl", join(folder, "index.ts")],
    ["config.ts.tmpl", join(folder, "config.ts")],
    ["filter.ts.tmpl", join(folder, "filter.ts")],
    ["config.schema.json.tmpl", join(folder, "config.schema.json")],
    ["README.md.tmpl", join(folder, "README.md")],
    ["filter.test.ts.tmpl", join(folder, `${name}.test.ts`)],
    ["envoy.yaml.tmpl", join("envoy-configs", `${name}.yaml`)],
  ];
}

// Formats as the project's own Prettier configuration says, so any name length stays formatted;
// without Prettier installed (it is a devDependency) the text is written as the template has it.
async function formatted(path: string, text: string): Promise<string> {
  const prettier = await import("prettier").catch(() => null);
  if (prettier === null) return text;
  const options = await prettier.resolveConfig(path);
  return prettier.format(text, { ...options, filepath: path });
}

/** Writes filter `name`'s scaffold under `root`; returns the files written, relative to `root`. */
export async function scaffoldFilter(root: string, name: string): Promise<string[]> {
  const problem = filterNameProblem(name);
  if (problem !== null) throw new ScaffoldError(problem);
  if (!existsSync(join(root, "asconfig.json")) || !existsSync(join(root, "assembly", "index.ts"))) {
    throw new ScaffoldError(
      `${root} is not an envoy-as project (no asconfig.json and assembly/): run envoy-as new from the project root`,
    );
  }
  for (const taken of [join("filters", name), join("envoy-configs", `${name}.yaml`)]) {
    if (existsSync(join(root, taken))) {
      throw new ScaffoldError(`${taken} already exists: choose another NAME, or move ${taken} away first`);
    }
  }
  const written = targets(name);
  const templates = join(packageRoot(), "cli", "scaffold");
  const fill = (text: string) => text.replaceAll("{{name}}", name).replaceAll("{{Class}}", className(name));
  await mkdir(join(root, "filters", name), { recursive: true });
  await mkdir(join(root, "envoy-configs"), { recursive: true });
  for (const [template, path] of written) {
    const text = fill(await readFile(join(templates, template), "utf8"));
    await writeFile(join(root, path), await formatted(join(root, path), text), { flag: "wx" });
  }
  const readme = join(root, "filters", name, "README.md");
  const withReference = withSection(await readFile(readme, "utf8"), await referenceSection(name, root));
  if (withReference !== null) await writeFile(readme, withReference);
  return written.map(([, path]) => path);
}

/** The commands that take a freshly scaffolded filter from source to an OCI image. */
export function nextSteps(name: string): string {
  const steps: [string, string][] = [
    [`npx envoy-as build ${name}`, `build/${name}.wasm and build/${name}.debug.wasm`],
    [`npx vitest run filters/${name}`, "its tests (npm test runs them too)"],
    [
      `npx envoy-as dev envoy-configs/${name}.yaml`,
      `serve it on 127.0.0.1:10000 (upstream: filters/${name}/README.md)`,
    ],
    [`npx envoy-as package ${name}`, `build/oci/${name}/, an OCI image to push`],
  ];
  const width = Math.max(...steps.map(([command]) => command.length)) + 3;
  const lines = steps.map(([command, what]) => `  ${command.padEnd(width)}${what}`);
  return ["next, from the project root:", ...lines].join("\n");
}

/** Runs `envoy-as new` with `args` (after the command name) from `root`; returns the exit code. */
export async function newCommand(
  args: string[],
  { root, out, err }: { root: string; out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  const option = args.find((arg) => arg.startsWith("-"));
  const usage = option
    ? `unknown option ${option}`
    : args.length === 0
      ? "NAME is required"
      : args.length > 1
        ? `unexpected argument ${args[1]}`
        : filterNameProblem(args[0]!);
  if (usage !== null) {
    err(`envoy-as new: ${usage}\nusage: envoy-as ${NEW_USAGE}`);
    return 2;
  }
  const name = args[0]!;
  try {
    const files = await scaffoldFilter(root, name);
    out(`created ${files.join(", ")}`);
    out(nextSteps(name));
    return 0;
  } catch (error) {
    if (error instanceof ScaffoldError) {
      err(`envoy-as new: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
