// Checks the command lines of the docs' shell snippets: `envoy-as` (or `npx envoy-as`) names a
// command of cli/main.ts and only options that command's usage lists, `npm run` names a script of
// package.json, `npx vitest run` names test files or folders that exist, and project paths given
// to envoy-as exist. Other programs (curl, func-e, kubectl...) are shown, not checked.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const NPM_BUILTINS = new Set(["ci", "install", "i", "test", "start", "pack", "publish"]);
/** Folders whose files the docs name as they are in the repository (others are made by the reader). */
const PROJECT_PATHS = /^(envoy-configs|test|harness|schemas|bench)\//;

/** What the command line offers: command names (from cli/main.ts) and each command's usage text. */
export interface Cli {
  commands: Set<string>;
  usage: (command: string) => string | null;
  scripts: Set<string>;
}

/** Reads cli/main.ts's commands, the *_USAGE constants of cli/*.ts and package.json's scripts. */
export function readCli(): Cli {
  const main = readFileSync(join("cli", "main.ts"), "utf8");
  const commands = new Set([...main.matchAll(/case "([a-z-]+)":/g)].map((m) => m[1]!));
  const usages: string[] = [];
  for (const file of readdirSync("cli").filter((name) => name.endsWith(".ts"))) {
    const text = readFileSync(join("cli", file), "utf8");
    for (const m of text.matchAll(/export const [A-Z_]*USAGE\s*=\s*((?:\s*"[^"]*"\s*\+?)+);/g))
      usages.push([...m[1]!.matchAll(/"([^"]*)"/g)].map((part) => part[1]).join(""));
  }
  const scripts = new Set(
    Object.keys((JSON.parse(readFileSync("package.json", "utf8")) as { scripts: object }).scripts),
  );
  return {
    commands,
    scripts,
    usage: (command) => usages.filter((text) => text.startsWith(`${command} `) || text === command).join(" ") || null,
  };
}

/** The simple commands of a shell line: split at && || ; and |, comments and leading VAR=value dropped. */
export function simpleCommands(line: string): string[][] {
  return line
    .replace(/(^|\s)#.*$/, "")
    .split(/&&|\|\||;|\|/)
    .map((part) => part.trim().split(/\s+/).filter(Boolean))
    .map((words) => {
      while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) words.shift();
      return words;
    })
    .filter((words) => words.length > 0);
}

function envoyAsProblems(args: string[], cli: Cli): string[] {
  const [command, ...rest] = args;
  if (command === undefined) return ["envoy-as without a command"];
  if (!cli.commands.has(command)) return [`envoy-as has no command "${command}" (cli/main.ts)`];
  const problems: string[] = [];
  const usage = cli.usage(command);
  const own = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  for (const arg of own) {
    const option = /^--[a-z0-9-]+/.exec(arg)?.[0];
    if (option && usage !== null && !usage.includes(option))
      problems.push(`envoy-as ${command} has no option ${option} (usage: ${usage})`);
    else if (PROJECT_PATHS.test(arg) && !existsSync(arg)) problems.push(`${arg} does not exist`);
  }
  return problems;
}

/** Problems of one command line of a shell snippet (a `$ ` prompt already removed). */
export function commandProblems(line: string, cli: Cli): string[] {
  const problems: string[] = [];
  for (const words of simpleCommands(line)) {
    const [program, ...args] = words[0] === "npx" ? words.slice(1) : words;
    if (program === "envoy-as") problems.push(...envoyAsProblems(args, cli));
    else if (program === "npm" && args[0] === "run") {
      if (!cli.scripts.has(args[1] ?? "")) problems.push(`package.json has no script "${args[1] ?? ""}"`);
    } else if (program === "npm" && !NPM_BUILTINS.has(args[0] ?? "")) problems.push(`unexpected npm ${args[0]}`);
    else if (program === "vitest" && args[0] === "run")
      for (const path of args.slice(1).filter((arg) => !arg.startsWith("-")))
        if (!existsSync(path)) problems.push(`${path} does not exist`);
  }
  return problems;
}

/** The command lines of a shell snippet: every line of `sh`/`bash`/`shell`, the `$ ` lines of `console`. */
export function commandLines(lang: string, code: string): string[] {
  const lines = code
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim());
  if (lang === "console") return lines.filter((line) => line.startsWith("$ ")).map((line) => line.slice(2));
  return lines.filter((line) => line.length > 0 && !line.startsWith("#"));
}
