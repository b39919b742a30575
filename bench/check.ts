// `npm run bench:check [-- FILE] [--partial] [--against EARLIER [--tolerance FRACTION]]`: prints every
// figure of FILE (default bench/results.json) that has a budget in bench/budget.json beside that
// budget, and exits 1 when any figure is over its max or under its min, has no finite ratio, or when
// a budget has no figure at all; `--partial` lets budgets without a figure pass, for the results of
// some groups only, as long as one figure has a budget. With `--against`, a figure outside its budget
// in EARLIER too passes unless it got worse (timed ratios by more than the tolerance, a fraction of
// the earlier figure, default 0.15; sizes, host calls and pages by any amount), so the check fails on
// regressions only.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadBudget, verdictLines, verdicts } from "./budget.js";
import { type Case } from "./case.js";
import { DEFAULT_TOLERANCE, compareWithEarlier, earlierNote } from "./regression.js";

interface Options {
  file: string;
  partial: boolean;
  against?: string;
  tolerance: number;
}

const VALUED = ["--against", "--tolerance"];

function parseOptions(argv: string[]): Options {
  // "--" may come through when the script runs without npm.
  const args = argv.filter((arg) => arg !== "--");
  const files: string[] = [];
  const values = new Map<string, string>();
  let partial = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--partial") partial = true;
    else if (VALUED.includes(arg)) {
      const value = args[++i];
      if (value === undefined || value === "" || value.startsWith("--")) throw new Error(`${arg} needs a value`);
      if (values.has(arg)) throw new Error(`${arg} given twice`);
      values.set(arg, value);
    } else if (arg.startsWith("--")) {
      throw new Error(`unknown option ${arg}; the options are --partial, --against FILE and --tolerance FRACTION`);
    } else files.push(arg);
  }
  if (files.length > 1) throw new Error(`one results file at a time, not ${files.join(", ")}`);
  const tolerance = values.has("--tolerance") ? Number(values.get("--tolerance")) : DEFAULT_TOLERANCE;
  if (!values.has("--against") && values.has("--tolerance")) throw new Error("--tolerance applies to --against only");
  if (!(tolerance >= 0)) throw new Error(`--tolerance takes a fraction of 0 or more, not ${values.get("--tolerance")}`);
  return { file: files[0] ?? join("bench", "results.json"), partial, against: values.get("--against"), tolerance };
}

function readCases(file: string): Case[] {
  return (JSON.parse(readFileSync(file, "utf8")) as { cases: Case[] }).cases;
}

function main(argv: string[]): number {
  const { file, partial, against, tolerance } = parseOptions(argv);
  const cases = readCases(file);
  const list = verdicts(cases, loadBudget());
  const compared = against === undefined ? null : compareWithEarlier(list, cases, readCases(against), tolerance);
  for (const line of verdictLines(list, compared?.map(earlierNote))) console.log(line);
  const outside = list.filter((v) => v.status === "over" || v.status === "under").length;
  const invalid = list.filter((v) => v.status === "invalid").length;
  const missing = list.filter((v) => v.status === "missing").length;
  console.log(
    `\n${list.length - missing} figures checked in ${file}: ${outside} outside budget, ${invalid} not finite, ` +
      `${missing} budgets without a figure${partial && missing > 0 ? " (allowed by --partial)" : ""}`,
  );
  if (list.length === missing) console.log("no figure in the results has a budget");
  let failing = outside;
  if (compared) {
    const asBefore = compared.filter((c) => c.standing === "as before").length;
    failing -= asBefore;
    console.log(
      `against ${against}: ${asBefore} outside budget there too and no worse (tolerance ${tolerance} for ` +
        `timed ratios), ${compared.filter((c) => c.standing === "worse").length} worse, ` +
        `${compared.filter((c) => c.standing === "new").length} newly outside`,
    );
  }
  return failing > 0 || invalid > 0 || list.length === missing || (missing > 0 && !partial) ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error: unknown) {
  console.error(`bench check: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
