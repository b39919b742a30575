// Stands in for "vitest" when a documented test file runs inside the snippet test: `describe` runs
// its body at once, `it`/`test` and `beforeEach` only collect, and runCollectedTests runs what was
// collected (each test after the beforeEach hooks of its describe blocks). `expect` is vitest's own.

export { expect } from "vitest";

type Body = () => unknown;

interface Collected {
  name: string;
  hooks: Body[];
  body: Body;
}

let collected: Collected[] = [];
const names: string[] = [];
const hooks: Body[][] = [[]];

/** Runs `body` now, so the tests inside it are collected under `name`. */
export function describe(name: string, body: () => void): void {
  names.push(name);
  hooks.push([...hooks.at(-1)!]);
  body();
  hooks.pop();
  names.pop();
}

/** Collects a test. */
export function it(name: string, body: Body): void {
  collected.push({ name: [...names, name].join(" > "), hooks: hooks.at(-1)!, body });
}

/** Collects a test (vitest's other name for `it`). */
export const test = it;

/** Collects a hook that runs before each test of the current describe block. */
export function beforeEach(body: Body): void {
  hooks.at(-1)!.push(body);
}

/** Runs and forgets the collected tests in order; throws on the first failure (naming it); returns how many ran. */
export async function runCollectedTests(): Promise<number> {
  const tests = collected;
  collected = [];
  for (const { name, hooks: before, body } of tests) {
    try {
      for (const hook of before) await hook();
      await body();
    } catch (error) {
      throw new Error(`documented test "${name}" failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
  return tests.length;
}
