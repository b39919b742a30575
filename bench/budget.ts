// The benchmark budget (bench/budget.json): the highest ratio each case may reach (or, for a
// throughput kept against its baseline, the lowest), keyed by case name or by a `prefix.*`, and the
// verdicts `npm run bench:check` and the README report from it.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Case, NOT_FINITE, finiteRatio } from "./case.js";

/** One budget: the highest ratio allowed (`max`) or the lowest (`min`), and the goal it comes from. */
export interface BudgetEntry {
  max?: number;
  min?: number;
  source: string;
}

/** Budgets by case name, or by `prefix.*` for every case under the prefix. */
export type Budget = Record<string, BudgetEntry>;

/**
 * How one budget fared against the results: within it, over its max, under its min, with a case
 * whose ratio is not a finite number (JSON keeps NaN and infinities as null), or with no case to judge.
 */
export interface Verdict {
  /** The case name, or the budget's key when no case matched it. */
  name: string;
  /** The case's ratio; null when the results have no case for this budget or no finite ratio. */
  ratio: number | null;
  budget: BudgetEntry;
  status: "within" | "over" | "under" | "invalid" | "missing";
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
    const ratio = finiteRatio(c);
    judged.push({ name: c.name, ratio, budget: entry, status: ratio === null ? "invalid" : judge(ratio, entry) });
  }
  const missing = Object.keys(budget)
    .filter((key) => !used.has(key))
    .map((key): Verdict => ({ name: key, ratio: null, budget: budget[key]!, status: "missing" }));
  return [...judged, ...missing];
}

/** Whether `ratio` is within `entry`, over its max or under its min. */
export function judge(ratio: number, entry: BudgetEntry): "within" | "over" | "under" {
  if (entry.max !== undefined && ratio > entry.max) return "over";
  if (entry.min !== undefined && ratio < entry.min) return "under";
  return "within";
}

function bound(entry: BudgetEntry): string {
  const bounds = [entry.min === undefined ? "" : `>= ${entry.min}`, entry.max === undefined ? "" : `<= ${entry.max}`];
  return bounds.filter((text) => text !== "").join(", ");
}

/**
 * One line per verdict: status, case, ratio beside its budget, then `notes[i]` when given (padded to
 * one column), and the budget's source.
 */
export function verdictLines(list: readonly Verdict[], notes?: readonly string[]): string[] {
  const width = Math.max(0, ...list.map((v) => v.name.length));
  const noteWidth = Math.max(0, ...(notes ?? []).map((note) => note.length));
  return list.map((v, i) => {
    const ratio = v.ratio !== null ? v.ratio.toFixed(2) : v.status === "invalid" ? NOT_FINITE : "no figure";
    const status = { within: "ok", over: "OVER", under: "UNDER", invalid: "INVALID", missing: "MISSING" }[v.status];
    const note = notes ? `${(notes[i] ?? "").padEnd(noteWidth)}  ` : "";
    return `${status.padEnd(7)} ${v.name.padEnd(width)}  ${ratio.padStart(9)}  ${bound(v.budget).padEnd(7)}  ${note}${v.budget.source}`;
  });
}
