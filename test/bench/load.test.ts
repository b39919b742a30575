// A benchmark stopped with SIGINT or SIGTERM (Ctrl-C, a CI timeout) must not leave the processes
// it started (Envoy, the dev proxy) running: bench/load.ts kills their process groups first.

import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";

// A Node process that starts `sleep 60` through Background, prints the sleeper's pid, and waits.
const SCRIPT = `
import { Background } from ${JSON.stringify(join(process.cwd(), "bench", "load.ts"))};
const sleeper = Background.start("sh", ["-c", "echo $$; exec sleep 60"], process.cwd());
await sleeper.waitUntil(async () => /\\d+/.test(sleeper.log), "the sleeper");
console.log("pid " + sleeper.log.trim());
setInterval(() => undefined, 1000);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

it.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)(
  "%s stops the benchmark and every process it started",
  async (signal, code) => {
    const bench = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", SCRIPT], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    const sleeper = await new Promise<number>((resolve, reject) => {
      bench.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /pid (\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      bench.on("exit", () => reject(new Error(`the script exited early: ${output}`)));
    });
    expect(alive(sleeper)).toBe(true);
    const exited = new Promise<number | null>((resolve) => bench.on("exit", (status) => resolve(status)));
    bench.kill(signal);
    expect(await exited).toBe(code);
    await expect.poll(() => alive(sleeper), { timeout: 5_000 }).toBe(false);
  },
  30_000,
);
