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

/** Builds a case from a value and its same-run baseline. */
export function ratioCase(name: string, unit: string, value: number, baseline: number): Case {
  return { name, unit, value: Math.round(value), baseline: Math.round(baseline), ratio: value / baseline };
}

/** The median over `rounds` runs (after one warm-up) of the nanoseconds per iteration of `body`. */
export function nanosecondsPerIteration(body: () => void, iterations: number, rounds = 5): number {
  const run = () => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) body();
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  run();
  const samples = Array.from({ length: rounds }, run).sort((a, b) => a - b);
  return samples[Math.floor(rounds / 2)]!;
}
