// Runs before every test file: notes which host functions the fixtures it loads call, and writes
// them out when the file is done (see test/support/host-call-coverage.ts).

import { afterAll, expect } from "vitest";
import { recordFixtureHostCalls, writeHostCallReport } from "./support/host-call-coverage.js";

const calls = recordFixtureHostCalls();

afterAll(() => {
  writeHostCallReport(expect.getState().testPath ?? "unknown", calls);
});
