// `envoy-as new` as a new user runs it, with the compiled CLI in a fresh project (a temporary folder
// holding what a clone holds: its config files copied, assembly/, harness/ and node_modules/ linked):
// scaffold a filter, check its formatting, build it, run its test with the project's vitest config
// (which is how `npm test` picks it up), validate its Envoy config, serve it in the dev proxy and
// package it. Also the names, folders and invocations it refuses.

import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { className, filterNameProblem, nextSteps } from "../../cli/new.js";
import { freePort, loadBootstrap, writeWithPorts } from "../e2e/support/config.js";

// The Node side compiled on its own, so this test never reads a dist/ that a build is rewriting.
const OUT = resolve("build/test-dist/new-cli");
const MAIN = join(OUT, "cli", "main.js");
const COPIED = ["package.json", "asconfig.json", "tsconfig.json", "vitest.config.ts", ".prettierrc", ".prettierignore"];
const LINKED = ["assembly", "harness", "node_modules", "eslint.config.js"];
const started: ChildProcess[] = [];

/** A folder set up as a fresh clone of the project, without filters or Envoy configs. */
function freshProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "envoy-as-new-"));
  for (const file of COPIED) copyFileSync(file, join(dir, file));
  for (const path of LINKED) symlinkSync(resolve(path), join(dir, path));
  return dir;
}

// Without the parent vitest's variables, so the child runs as a user's own `npx vitest` does (uncoloured).
function userEnv(): NodeJS.ProcessEnv {
  const own = Object.entries(process.env).filter(([key]) => !key.startsWith("VITEST") && key !== "FORCE_COLOR");
  return { ...Object.fromEntries(own), NO_COLOR: "1" };
}

function envoyAs(cwd: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function tool(cwd: string, name: string, ...args: string[]) {
  const bin = join(resolve("node_modules"), ".bin", name);
  const result = spawnSync(bin, args, { cwd, encoding: "utf8", env: userEnv(), timeout: 240_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

beforeAll(() => {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", OUT], { stdio: "pipe" });
}, 120_000);

afterAll(() => {
  for (const child of started) child.kill("SIGKILL");
});

describe("envoy-as new: scaffold, build, test, serve, package", () => {
  const project = freshProject();

  it("scaffolds filters/greeter/ and envoy-configs/greeter.yaml and prints the next steps", () => {
    const { code, stdout, stderr } = envoyAs(project, "new", "greeter");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const files = ["index.ts", "config.ts", "filter.ts", "config.schema.json", "README.md", "greeter.test.ts"];
    for (const file of files) expect(existsSync(join(project, "filters", "greeter", file)), file).toBe(true);
    expect(existsSync(join(project, "envoy-configs", "greeter.yaml"))).toBe(true);
    expect(stdout).toContain(nextSteps("greeter"));
    expect(readFileSync(join(project, "filters", "greeter", "filter.ts"), "utf8")).toContain("class GreeterRoot");
  });

  it("writes files that pass the project's prettier and eslint as generated", () => {
    expect(tool(project, "prettier", "--check", "filters", "envoy-configs")).toMatchObject({ code: 0 });
    // filters/ is AssemblyScript, which eslint.config.js leaves to asc; the scaffold passes it anyway.
    const lint = tool(project, "eslint", "--no-ignore", "--max-warnings", "0", "filters/greeter");
    expect(lint.output).toBe("");
    expect(lint.code).toBe(0);
  });

  it("writes a schema with $schema, $id, title, description and an example it accepts", async () => {
    const schema = JSON.parse(readFileSync(join(project, "filters", "greeter", "config.schema.json"), "utf8"));
    expect(schema).toMatchObject({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      $id: "https://envoy-as.dev/schemas/greeter.json",
      title: "greeter configuration",
    });
    expect(schema.description).toEqual(expect.any(String));
    const { Ajv2020 } = await import("ajv/dist/2020.js");
    const validate = new Ajv2020().compile(schema);
    expect(schema.examples.map((example: unknown) => validate(example))).toEqual([true]);
    expect(validate({ request_header: { name: "bad name", value: "v" } })).toBe(false);
    expect(validate({ request_header: { name: "x-a", value: "a\r\nb" } })).toBe(false);
  });

  it("builds with `envoy-as build greeter`", () => {
    const { code, stdout, stderr } = envoyAs(project, "build", "greeter");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/built build\/greeter\.wasm .* \(release\)/);
    expect(readFileSync(join(project, "build", "greeter.wasm")).subarray(0, 4)).toEqual(Buffer.from("\0asm"));
  }, 180_000);

  it("passes its own test, found by the project's vitest config as `npx vitest run filters/greeter` runs it", () => {
    const { code, output } = tool(project, "vitest", "run", "filters/greeter");
    expect(output).toContain("filters/greeter/greeter.test.ts");
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
    expect(code).toBe(0);
  }, 240_000);

  it("has an Envoy config that validates offline", () => {
    const { code, stdout } = envoyAs(project, "validate", "envoy-configs/greeter.yaml", "--offline");
    expect(stdout).toContain("envoy-configs/greeter.yaml OK");
    expect(code).toBe(0);
  });

  it("runs in the dev proxy: the upstream gets the request header, the client the response header", async () => {
    const upstream = createServer((request, response) => response.end(JSON.stringify(request.headers)));
    await new Promise<void>((done) => upstream.listen(0, "127.0.0.1", done));
    const listener = await freePort();
    const config = await writeWithPorts(await loadBootstrap(project, "greeter.yaml"), {
      admin: await freePort(),
      listeners: { ingress: listener },
      clusters: { upstream: (upstream.address() as AddressInfo).port },
    });
    const child = spawn(process.execPath, [MAIN, "dev", config], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
    started.push(child);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    for (let i = 0; i < 150 && !output.includes("serving"); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(`envoy-as dev: serving ${config} on 127.0.0.1:${listener}`);
    const response = await fetch(`http://127.0.0.1:${listener}/`);
    expect(response.headers.get("x-served-by")).toBe("greeter");
    expect(JSON.parse(await response.text())).toMatchObject({ "x-greeting": "hello" });
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    upstream.close();
  }, 30_000);

  it("packages with `envoy-as package greeter`", () => {
    const out = join(project, "oci");
    const { code, stdout } = envoyAs(project, "package", "greeter", "--out", out);
    expect(stdout).toContain(`packaged greeter 0.1.0 as an OCI image layout: oci`);
    expect(stdout).toMatch(/image digest: +sha256:[0-9a-f]{64}/);
    expect(existsSync(join(out, "index.json"))).toBe(true);
    expect(code).toBe(0);
  });
});

describe("envoy-as new refuses", () => {
  const project = freshProject();

  it.each([
    [["new"], "envoy-as new: NAME is required"],
    [["new", "a", "b"], "envoy-as new: unexpected argument b"],
    [["new", "--force", "a"], "envoy-as new: unknown option --force"],
    [["new", "Greeter"], 'envoy-as new: "Greeter" is not a filter name: use 1-63 lowercase letters'],
    [["new", "9lives"], 'envoy-as new: "9lives" is not a filter name'],
    [["new", "my_filter"], 'envoy-as new: "my_filter" is not a filter name'],
    [["new", "trailing-"], 'envoy-as new: "trailing-" is not a filter name'],
    [["new", "../escape"], 'envoy-as new: "../escape" is not a filter name'],
    [["new", "a".repeat(64)], "is not a filter name"],
  ])("%j with exit 2 and the usage", (args, message) => {
    const { code, stderr } = envoyAs(project, ...args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).toContain("\nusage: envoy-as new NAME\n");
  });

  it("an existing filters/NAME folder, naming it, and writes nothing", () => {
    mkdirSync(join(project, "filters", "taken"), { recursive: true });
    const { code, stderr } = envoyAs(project, "new", "taken");
    expect(code).toBe(1);
    expect(stderr).toBe(
      "envoy-as new: filters/taken already exists: choose another NAME, or move filters/taken away first\n",
    );
    expect(existsSync(join(project, "envoy-configs", "taken.yaml"))).toBe(false);
  });

  it("an existing envoy-configs/NAME.yaml, and writes nothing", () => {
    mkdirSync(join(project, "envoy-configs"), { recursive: true });
    writeFileSync(join(project, "envoy-configs", "mine.yaml"), "# mine\n");
    const { code, stderr } = envoyAs(project, "new", "mine");
    expect(code).toBe(1);
    expect(stderr).toContain("envoy-configs/mine.yaml already exists");
    expect(existsSync(join(project, "filters", "mine"))).toBe(false);
    expect(readFileSync(join(project, "envoy-configs", "mine.yaml"), "utf8")).toBe("# mine\n");
  });

  it("a folder that is not an envoy-as project", () => {
    const empty = mkdtempSync(join(tmpdir(), "envoy-as-empty-"));
    const { code, stderr } = envoyAs(empty, "new", "greeter");
    expect(code).toBe(1);
    expect(stderr).toContain("is not an envoy-as project (no asconfig.json and assembly/): run envoy-as new from");
    expect(existsSync(join(empty, "filters"))).toBe(false);
  });
});

describe("filter names", () => {
  it.each([
    ["greeter", "Greeter"],
    ["my-filter", "MyFilter"],
    ["a1-b2-c", "A1B2C"],
    ["x", "X"],
  ])("%s gives the class prefix %s", (name, prefix) => {
    expect(filterNameProblem(name)).toBeNull();
    expect(className(name)).toBe(prefix);
  });

  it("keeps the scaffold formatted for the longest name", () => {
    const project = freshProject();
    const name = `a${"-b".repeat(31)}`;
    expect(name).toHaveLength(63);
    expect(envoyAs(project, "new", name).code).toBe(0);
    expect(tool(project, "prettier", "--check", "filters", "envoy-configs")).toMatchObject({ code: 0 });
    expect(readFileSync(join(project, "filters", name, "index.ts"), "utf8")).not.toContain("{{");
  });
});
