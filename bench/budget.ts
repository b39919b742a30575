// The benchmark budget (bench/budget.json): the highest ratio each case may reach, keyed by case
// name or by a `prefix.*`, and the verdicts `npm run bench:check` and the README report from it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Case } from "./case.js";

/** One budget: the highest ratio allowed and the goal it comes from. */
export interface BudgetEntry {
  max: number;
  source: string;
}

/** Budgets by case name, or by `prefix.*` for every case under the prefix. */
export type Budget = Record<string, BudgetEntry>;

/** How one budget fared against the results: within it, over it, or with no case to judge. */
export interface Verdict {
  /** The case name, or the budget's key when no case matched it. */
  name: string;
  /** The case's ratio; null when the results have no case for this budget. */
  ratio: number | null;
  budget: BudgetEntry;
  status: "within" | "over" | "missing";
}

/** Reads the budgets of bench/budget.json (or `file`). */
export function loadBudget(file = join("bench", "budget.json")): Budget {
  return (JSON.parse(readFileSync(file, "utf8")) as { budgets: Budget }).budgets;
}

// The key of `budget` that governs `name`: the name itself, else the longest `prefix.*` above it.
function keyFor(name: string, budget: Budget): string | undefined {
  if (name in budget) return name;
  let best: string | undefined;
  for (const key of Object.keys(budget)) {
    if (!key.endsWith(".*") || !name.startsWith(key.slice(0, -1))) continue;
    if (best === undefined || key.length > best.length) best = key;
  }
  return best;
}

/** The budget that governs case `name`, or undefined when it has none. */
export function budgetFor(name: string, budget: Budget): BudgetEntry | undefined {
  const key = keyFor(name, budget);
  return key === undefined ? undefined : budget[key];
}

/** Every case with a budget, judged against it, then every budget no case matched (status "missing"). */
export function verdicts(cases: readonly Case[], budget: Budget): Verdict[] {
  const used = new Set<string>();
  const judged: Verdict[] = [];
  for (const c of cases) {
    const key = keyFor(c.name, budget);
    if (key === undefined) continue;
    used.add(key);
    const entry = budget[key]!;
    judged.push({ name: c.name, ratio: c.ratio, budget: entry, status: c.ratio <= entry.max ? "within" : "over" });
  }
  const missing = Object.keys(budget)
    .filter((key) => !used.has(key))
    .map((key): Verdict => ({ name: key, ratio: null, budget: budget[key]!, status: "missing" }));
  return [...judged, ...missing];
}

/** One line per verdict: status, case, ratio beside its budget, and the budget's source. */
export function verdictLines(list: readonly Verdict[]): string[] {
  const width = Math.max(0, ...list.map((v) => v.name.length));
  return list.map((v) => {
    const ratio = v.ratio === null ? "no figure" : v.ratio.toFixed(2);
    const status = { within: "ok", over: "OVER", missing: "MISSING" }[v.status];
    return `${status.padEnd(7)} ${v.name.padEnd(width)}  ${ratio.padStart(9)}  <= ${String(v.budget.max).padEnd(4)}  ${v.budget.source}`;
  });
}
