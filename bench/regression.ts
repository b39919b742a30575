// Budget verdicts beside the same figures in earlier results (`npm run bench:check -- FILE --against
// EARLIER`): a figure already outside its budget there passes as long as it got no worse, so a run on
// a machine that misses some goals still fails on what a change made worse.

import { type Verdict, judge } from "./budget.js";
import { type Case, finiteRatio } from "./case.js";

// Units of figures that do not vary between runs of the same code: compared with no tolerance.
const EXACT_UNITS: ReadonlySet<string> = new Set(["bytes", "host calls/request", "pages grown"]);

/**
 * How much worse than earlier a timed ratio may get before it counts as worse, as a fraction of the
 * earlier figure: the spread seen between full runs of the same code on the benchmark machine (up to
 * 13-15% for the harness and Envoy ratios).
 */
export const DEFAULT_TOLERANCE = 0.15;

/**
 * A budget verdict beside the earlier figure: `as before` for a figure outside its budget now and
 * earlier and no worse, `worse` for one outside both times that got worse, `new` for one outside
 * now only (or with no earlier figure); null when the figure is within its budget, invalid or missing.
 */
export interface Compared extends Verdict {
  /** The same case's finite ratio in the earlier results, or null when they have none. */
  earlier: number | null;
  standing: "as before" | "worse" | "new" | null;
}

// Whether `ratio` is past `earlier` on the side `status` names, by more than `tolerance` of `earlier`.
function worse(status: "over" | "under", ratio: number, earlier: number, tolerance: number): boolean {
  const slack = tolerance * Math.abs(earlier);
  return status === "over" ? ratio > earlier + slack : ratio < earlier - slack;
}

/**
 * Each verdict with the earlier figure of its case; `tolerance` applies to timed figures, while
 * figures in EXACT_UNITS count as worse on any change in the wrong direction.
 */
export function compareWithEarlier(
  list: readonly Verdict[],
  cases: readonly Case[],
  earlierCases: readonly Case[],
  tolerance = DEFAULT_TOLERANCE,
): Compared[] {
  if (!(tolerance >= 0)) throw new Error(`the tolerance is a fraction of 0 or more, not ${tolerance}`);
  const units = new Map(cases.map((c) => [c.name, c.unit]));
  const earlierRatios = new Map(earlierCases.map((c) => [c.name, finiteRatio(c)]));
  return list.map((verdict): Compared => {
    const earlier = earlierRatios.get(verdict.name) ?? null;
    const status = verdict.status;
    if (status !== "over" && status !== "under") return { ...verdict, earlier, standing: null };
    if (earlier === null || judge(earlier, verdict.budget) !== status) return { ...verdict, earlier, standing: "new" };
    const exact = EXACT_UNITS.has(units.get(verdict.name) ?? "");
    const got = worse(status, verdict.ratio!, earlier, exact ? 0 : tolerance);
    return { ...verdict, earlier, standing: got ? "worse" : "as before" };
  });
}

/** What one compared line adds after its verdict: the earlier figure and how this one stands to it. */
export function earlierNote(compared: Compared): string {
  const earlier = compared.earlier === null ? "was -" : `was ${compared.earlier.toFixed(2)}`;
  return compared.standing === null ? earlier : `${earlier}, ${compared.standing}`;
}
