// `npm run bench:check [-- FILE] [--partial]`: prints every figure of FILE (default
// bench/results.json) that has a budget in bench/budget.json beside that budget, and exits 1 when
// any figure is over its max or under its min, has no finite ratio, or when a budget has no figure
// at all; `--partial` lets budgets without a figure pass, for the results of some groups only, as
// long as one figure has a budget.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBudget, verdictLines, verdicts } from "./budget.js";
import { type Case } from "./case.js";

function main(argv: string[]): number {
  // "--" may come through when the script runs without npm.
  const args = argv.filter((arg) => arg !== "--");
  for (const option of args.filter((arg) => arg.startsWith("--"))) {
    if (option !== "--partial") throw new Error(`unknown option ${option}; the only one is --partial`);
  }
  const partial = args.includes("--partial");
  const files = args.filter((arg) => !arg.startsWith("--"));
  if (files.length > 1) throw new Error(`one results file at a time, not ${files.join(", ")}`);
  const file = files[0] ?? join("bench", "results.json");
  const { cases } = JSON.parse(readFileSync(file, "utf8")) as { cases: Case[] };
  const list = verdicts(cases, loadBudget());
  for (const line of verdictLines(list)) console.log(line);
  const outside = list.filter((v) => v.status === "over" || v.status === "under").length;
  const invalid = list.filter((v) => v.status === "invalid").length;
  const missing = list.filter((v) => v.status === "missing").length;
  console.log(
    `\n${list.length - missing} figures checked in ${file}: ${outside} outside budget, ${invalid} not finite, ` +
      `${missing} budgets without a figure${partial && missing > 0 ? " (allowed by --partial)" : ""}`,
  );
  if (list.length === missing) console.log("no figure in the results has a budget");
  return outside > 0 || invalid > 0 || list.length === missing || (missing > 0 && !partial) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error: unknown) {
  console.error(`bench check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
