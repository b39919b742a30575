// Which host functions the SDK's test fixtures really call. In every test file, the setup file
// test/setup-host-calls.ts gives each plugin loaded from build/fixtures/ a trace that notes the name
// of every import it calls, and writes those names to build/coverage/host-calls/ when the file is
// done (test files run in separate workers, so files are the only shared state). After a full run,
// the global teardown fails it when an `env.proxy_*` function declared in assembly/abi/imports.ts
// was called by no fixture: such an import is SDK code no test exercises.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type HostCall, HostCallTrace, Plugin, type PluginOptions } from "../../harness/index.js";

const REPORTS = join("build", "coverage", "host-calls");
const DECLARATIONS = join("assembly", "abi", "imports.ts");
const FIXTURE = /(?:^|\/)build\/fixtures\/([\w-]+?)(?:\.[\w-]+)?\.wasm$/;

/** What one test file's fixtures called: import name to the fixtures that called it. */
type Calls = Record<string, string[]>;

interface Report {
  testFile: string;
  calls: Calls;
}

/** The `env.proxy_*` functions the SDK declares (every one Envoy registers for ABI 0.2.1). */
export function declaredHostFunctions(): string[] {
  const source = readFileSync(DECLARATIONS, "utf8");
  return [...source.matchAll(/@external\("env", "(proxy_\w+)"\)/g)].map((m) => m[1]!);
}

// Notes call names into `calls` and, when the test asked for a trace, keeps recording into it.
class NamingTrace extends HostCallTrace {
  constructor(
    private readonly fixture: string,
    private readonly called: Map<string, Set<string>>,
    private readonly keep: boolean,
  ) {
    super();
  }

  override record(call: HostCall): void {
    let fixtures = this.called.get(call.name);
    if (!fixtures) this.called.set(call.name, (fixtures = new Set()));
    fixtures.add(this.fixture);
    if (this.keep) super.record(call);
  }
}

function tap(trace: HostCallTrace, fixture: string, calls: Map<string, Set<string>>): HostCallTrace {
  const naming = new NamingTrace(fixture, calls, false);
  const record = trace.record.bind(trace);
  trace.record = (call: HostCall) => {
    naming.record(call);
    record(call);
  };
  return trace;
}

/** Makes every plugin loaded from build/fixtures/ note the imports it calls; returns the notes. */
export function recordFixtureHostCalls(): Map<string, Set<string>> {
  const calls = new Map<string, Set<string>>();
  const load = Plugin.load.bind(Plugin);
  Plugin.load = (wasm: string | Uint8Array, options: PluginOptions = {}) => {
    const fixture = typeof wasm === "string" ? FIXTURE.exec(wasm.replaceAll("\\", "/"))?.[1] : undefined;
    if (fixture === undefined) return load(wasm, options);
    const given = options.trace;
    const trace =
      given instanceof HostCallTrace ? tap(given, fixture, calls) : new NamingTrace(fixture, calls, given === true);
    return load(wasm, { ...options, trace });
  };
  return calls;
}

/** Writes what test file `testPath`'s fixtures called, for the teardown to merge. */
export function writeHostCallReport(testPath: string, calls: Map<string, Set<string>>): void {
  const testFile = relative(process.cwd(), testPath).replaceAll("\\", "/");
  const report: Report = { testFile, calls: {} };
  for (const [name, fixtures] of calls) report.calls[name] = [...fixtures].sort();
  mkdirSync(REPORTS, { recursive: true });
  writeFileSync(join(REPORTS, testFile.replaceAll("/", "__") + ".json"), JSON.stringify(report, null, 2));
}

/** Forgets the reports of an earlier run. */
export function resetHostCallCoverage(): void {
  rmSync(REPORTS, { recursive: true, force: true });
  mkdirSync(REPORTS, { recursive: true });
}

/** The test files under `test/`, to tell later whether a run ran them all. */
export function testFiles(dir = "test"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path.replaceAll("\\", "/")] : [];
  });
}

/**
 * The imports declared by the SDK that no fixture called, or null when the run cannot tell: when a
 * test file of `expected` did not run (`ran` lists those that did) or `partial` (a name or fixture
 * filter).
 */
export function uncalledHostFunctions(expected: string[], ran: string[], partial: boolean): string[] | null {
  const ranFiles = new Set(ran.map((f) => relative(process.cwd(), f).replaceAll("\\", "/")));
  if (partial || expected.some((f) => !ranFiles.has(f))) return null;
  const reports: Report[] = readdirSync(REPORTS).map((f) => JSON.parse(readFileSync(join(REPORTS, f), "utf8")));
  const called = new Set(reports.flatMap((r) => Object.keys(r.calls)));
  return declaredHostFunctions().filter((name) => !called.has(name));
}

/** Fails the run (exit code 1, as a teardown cannot fail it by throwing) when `missing` is not empty. */
export function failOnUncalled(missing: string[] | null): void {
  if (missing === null) {
    console.log("host-call coverage: not a full run, not checked");
    return;
  }
  if (missing.length === 0) {
    console.log(`host-call coverage: every host function declared in ${DECLARATIONS} was called by a fixture`);
    return;
  }
  console.error(
    `\nhost-call coverage: FAILED. Host functions declared in ${DECLARATIONS} that no test fixture called ` +
      `(add a fixture and a test that exercise them):\n  ${missing.join("\n  ")}\n`,
  );
  process.exitCode = 1;
}
