// The command line's help and usage errors, run as a user runs them (the compiled CLI in a child
// process): every command in the main help answers --help, -h and `help COMMAND` with its usage and
// exit 0, and each bad invocation exits non-zero with a line naming the command and the problem.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

// The Node side compiled on its own, so this test never reads a dist/ that a build is rewriting.
const OUT = resolve("build/test-dist/help-cli");
const work = mkdtempSync(join(tmpdir(), "envoy-as-help-"));

beforeAll(() => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", OUT], { stdio: "pipe" });
}, 120_000);

function envoyAs(args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, [join(OUT, "cli", "main.js"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every command, in the main help's order. */
const COMMANDS = [
  "new",
  "build",
  "start",
  "dev",
  "run",
  "envoy",
  "validate",
  "package",
  "push",
  "pull",
  "wasmplugin",
  "help",
];

// The commands the main help lists: each line of its "commands:" block that starts a command.
function listedCommands(help: string): string[] {
  const block = help.slice(help.indexOf("commands:\n") + "commands:\n".length);
  return [...block.matchAll(/^ {2}([a-z]+)\b/gm)].map((match) => match[1]!);
}

describe("envoy-as help", () => {
  it("lists every command, and says how to get one command's help", () => {
    const { code, stdout } = envoyAs(["help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("envoy-as <command> --help");
    expect(listedCommands(stdout)).toEqual(COMMANDS);
    expect(envoyAs([]).stdout).toBe(stdout);
    expect(envoyAs(["--help"]).stdout).toBe(stdout);
  });

  it.each(COMMANDS.filter((command) => command !== "help"))(
    "%s --help, -h and `help %s` print its usage",
    (command) => {
      const help = envoyAs([command, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stderr).toBe("");
      expect(help.stdout).toMatch(new RegExp(`^usage: envoy-as ${command}\\b.*\\n\\n {2}\\S`));
      expect(envoyAs([command, "-h"]).stdout).toBe(help.stdout);
      expect(envoyAs(["help", command]).stdout).toBe(help.stdout);
      // --help wins over whatever else is on the line, so it never starts the command.
      expect(envoyAs([command, "some-arg", "--help"]).stdout).toBe(help.stdout);
    },
  );
});

describe("bad invocations", () => {
  const missingWasm = join(work, "missing-wasm.yaml");
  writeFileSync(
    missingWasm,
    readFileSync("envoy-configs/header-rewrite.yaml", "utf8").replace("build/header-rewrite.wasm", "build/absent.wasm"),
  );

  // [arguments, exit code, the first line of stderr (a regex), whether the usage line follows]
  const cases: [string[], number, RegExp, boolean][] = [
    [["frobnicate"], 2, /^envoy-as: unknown command "frobnicate" \(commands: new, build, .*\)$/, false],
    [["help", "frobnicate"], 2, /^envoy-as help: no command "frobnicate" \(commands: new, build/, true],
    [["new"], 2, /^envoy-as new: NAME is required$/, true],
    [["new", "Bad"], 2, /^envoy-as new: "Bad" is not a filter name: use 1-63 lowercase letters/, true],
    [["build", "--fast"], 2, /^envoy-as build: unknown option --fast$/, true],
    [
      ["build", "nope"],
      1,
      /^envoy-as build: no such filter: nope \(filters\/ has: .*; envoy-as new NAME creates one\)$/,
      false,
    ],
    [["start", "now"], 2, /^envoy-as start: unexpected argument now$/, true],
    [["dev", "a.yaml", "b.yaml"], 2, /^envoy-as dev: unexpected argument b\.yaml$/, true],
    [["dev", "--port", "1"], 2, /^envoy-as dev: unknown option --port$/, true],
    [
      ["dev", "missing.yaml"],
      1,
      /^envoy-as dev: config file not found: missing\.yaml \(pass an Envoy bootstrap/,
      false,
    ],
    [
      ["dev", missingWasm],
      1,
      /^envoy-as dev: build\/absent\.wasm \(Wasm filter header-rewrite in .*\) not found: run `npx envoy-as build` first$/,
      false,
    ],
    [["run"], 2, /^envoy-as run: --scenario FILE\.json is required$/, true],
    [["validate"], 2, /^envoy-as validate: needs one CONFIG file$/, true],
    [["validate", "a.yaml", "--strict"], 2, /^envoy-as validate: unknown option --strict$/, true],
    [
      ["envoy", "--config", "x"],
      2,
      /^envoy-as envoy: unknown option --config \(Envoy's own options go after --\)$/,
      true,
    ],
    [["envoy", "missing.yaml"], 2, /^envoy-as envoy: config file not found: missing\.yaml$/, false],
    [["package"], 2, /^envoy-as package: FILTER is required$/, true],
    [["package", "x", "--out"], 2, /^envoy-as package: --out needs a value$/, true],
    [["push", "header-rewrite"], 2, /^envoy-as push: expected FILTER and REF$/, true],
    [["pull", "localhost:5000/x:1"], 2, /^envoy-as pull: expected REF and --out DIR or --wasm-out FILE$/, true],
    [["wasmplugin", "header-rewrite"], 2, /^envoy-as wasmplugin: needs --image REF$/, true],
  ];

  it.each(cases)("envoy-as %j exits %i naming the problem", (args, code, firstLine, usage) => {
    const result = envoyAs(args);
    const lines = result.stderr.split("\n");
    expect(result.code).toBe(code);
    expect(lines[0]).toMatch(firstLine);
    if (usage) expect(lines[1]).toMatch(new RegExp(`^usage: envoy-as ${args[0]}\\b`));
  });

  it("build outside a project says where to run it", () => {
    const result = envoyAs(["build"], work);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `envoy-as build: no filters/ folder in ${work}: run envoy-as from the project root, or create one: envoy-as new NAME\n`,
    );
  });
});
