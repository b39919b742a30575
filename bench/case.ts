// The shape every benchmark case takes (DESIGN.md: name, unit, value, baseline, ratio), and the
// timing helper they share. Every figure is a ratio to a baseline measured in the same run.

/** One benchmark result. */
export interface Case {
  /** Dotted name, e.g. "crypto.verify.RS256". */
  name: string;
  unit: string;
  value: number;
  baseline: number;
  /** value / baseline, measured in the same run. */
  ratio: number;
}

/** A group of cases; each file in bench/groups/ exports one as `default`. */
export type Group = () => Promise<Case[]>;

/** How a ratio that is not a finite number is printed. */
export const NOT_FINITE = "not finite";

/** `c`'s ratio, or null when it is not a finite number (a results file holds NaN and infinities as null). */
export function finiteRatio(c: Case): number | null {
  return Number.isFinite(c.ratio) ? c.ratio : null;
}

/** Builds a case from a value and its same-run baseline; throws when their ratio is not a finite number. */
export function ratioCase(name: string, unit: string, value: number, baseline: number): Case {
  const ratio = value / baseline;
  if (!Number.isFinite(ratio)) throw new Error(`${name}: ${value} against a baseline of ${baseline} gives no ratio`);
  return { name, unit, value: Math.round(value), baseline: Math.round(baseline), ratio };
}

/** The median over `rounds` runs (after one warm-up) of the nanoseconds per iteration of `body`. */
export function nanosecondsPerIteration(body: () => void, iterations: number, rounds = 5): number {
  timed(body, iterations);
  return median(Array.from({ length: rounds }, () => timed(body, iterations)));
}

// Nanoseconds per iteration of one run of `iterations` calls of `body`.
function timed(body: () => void, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) body();
  return Number(process.hrtime.bigint() - start) / iterations;
}

/** Median nanoseconds per iteration of a subject and of its baseline. */
export interface Paired {
  subject: number;
  baseline: number;
}

/**
 * Times `subject` and `baseline` in alternating rounds, after warming each up, and returns each
 * one's median nanoseconds per iteration: both sides see the same JIT tiers and machine noise,
 * which separate runs minutes apart do not.
 */
export function pairedNanoseconds(subject: () => void, baseline: () => void, iterations: number, rounds = 7): Paired {
  for (let i = 0; i < 2; i++) {
    timed(baseline, iterations);
    timed(subject, iterations);
  }
  const subjects: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < rounds; i++) {
    baselines.push(timed(baseline, iterations));
    subjects.push(timed(subject, iterations));
  }
  return { subject: median(subjects), baseline: median(baselines) };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A ratio case from a paired measurement. */
export function pairedCase(name: string, unit: string, paired: Paired): Case {
  return ratioCase(name, unit, paired.subject, paired.baseline);
}
