// `npm run bench [-- --json FILE] [-- --only GROUP,...]`: runs every group in bench/groups/ and
// prints each case beside its same-run baseline; --json writes DESIGN.md's format.

import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type Case, type Group } from "./case.js";

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
    const group = (await import(pathToFileURL(join(process.cwd(), "bench", "groups", `${name}.ts`)).href)) as {
      default: Group;
    };
    for (const c of await group.default()) {
      cases.push(c);
      const value = `${c.value} ${c.unit}`;
      console.log(
        `${c.name.padEnd(40)} ${value.padStart(22)}  baseline ${String(c.baseline).padStart(9)}  ratio ${c.ratio.toFixed(2)}`,
      );
    }
  }
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ cases }, null, 2) + "\n");
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
