// `npm run bench:check [-- FILE]`: prints every figure of FILE (default bench/results.json) that
// has a budget in bench/budget.json beside that budget, and exits 1 when any figure is over its
// max or under its min.
// Budgets no figure matched are listed as MISSING but do not fail the check.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBudget, verdictLines, verdicts } from "./budget.js";
import { type Case } from "./case.js";

function main(argv: string[]): number {
  const file = argv[0] ?? join("bench", "results.json");
  const { cases } = JSON.parse(readFileSync(file, "utf8")) as { cases: Case[] };
  const list = verdicts(cases, loadBudget());
  for (const line of verdictLines(list)) console.log(line);
  const outside = list.filter((v) => v.status === "over" || v.status === "under").length;
  const missing = list.filter((v) => v.status === "missing").length;
  console.log(
    `\n${list.length - missing} figures checked in ${file}: ${outside} outside budget, ${missing} budgets without a figure`,
  );
  return outside > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error: unknown) {
  console.error(`bench check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
