// `npm run bench [-- --json FILE] [-- --only GROUP,...]`: runs every group in bench/groups/ and
// prints each case beside its same-run baseline; --json writes DESIGN.md's format, with the machine
// and commit of the run beside the cases (`run`, bench/machine.ts). One group runs
// in this process; several run one child process each, so that what a group leaves behind (a
// larger heap for the collector to walk, code compiled for other modules, processes still
// exiting) does not weigh on the groups after it.

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Case, type Group } from "./case.js";
import { currentRun } from "./machine.js";

function option(argv: string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  if (index < 0) return undefined;
  const value = argv[index + 1];
  if (!value) throw new Error(`${name} needs a value`);
  return value;
}

async function main(argv: string[]): Promise<void> {
  const jsonFile = option(argv, "--json");
  const only = option(argv, "--only")?.split(",");
  const groups = readdirSync(join("bench", "groups"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.replace(/\.ts$/, ""))
    .filter((name) => !only || only.includes(name));
  const cases: Case[] = [];
  for (const name of groups) {
    if (groups.length === 1) cases.push(...(await runGroup(name)));
    else cases.push(...runChild(name));
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ run: currentRun(), cases }, null, 2) + "\n");
}

async function runGroup(name: string): Promise<Case[]> {
  const group = (await import(pathToFileURL(join(process.cwd(), "bench", "groups", `${name}.ts`)).href)) as {
    default: Group;
  };
  const cases = await group.default();
  for (const c of cases) {
    const value = `${c.value} ${c.unit}`;
    console.log(
      `${c.name.padEnd(40)} ${value.padStart(22)}  baseline ${String(c.baseline).padStart(9)}  ratio ${c.ratio.toFixed(2)}`,
    );
  }
  return cases;
}

// Runs group `name` in a child process like this one (same Node flags, so TypeScript still loads).
function runChild(name: string): Case[] {
  const directory = mkdtempSync(join(tmpdir(), "envoy-as-bench-"));
  try {
    const json = join(directory, "cases.json");
    const script = fileURLToPath(import.meta.url);
    const child = spawnSync(process.execPath, [...process.execArgv, script, "--only", name, "--json", json], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (child.status !== 0) throw new Error(`group ${name} failed (${child.signal ?? `exit ${child.status}`})`);
    return (JSON.parse(readFileSync(json, "utf8")) as { cases: Case[] }).cases;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
