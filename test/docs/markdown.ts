// Finds the project's Markdown files and the fenced code blocks in them (CommonMark fences of three
// or more backticks or tildes, possibly indented in a list), with the info string split into a
// language, bare words and key=value attributes (values may be "double quoted").

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** One fenced code block of a Markdown file. */
export interface Block {
  /** The Markdown file, relative to the project root. */
  file: string;
  /** The 1-based line of the opening fence. */
  line: number;
  /** The info string as written. */
  info: string;
  /** The first word of the info string ("" when there is none). */
  lang: string;
  /** The other words without "=". */
  words: string[];
  /** The key=value words. */
  attributes: Map<string, string>;
  /** The block's text, with the fence's indentation removed, ending with a newline. */
  code: string;
}

const SKIPPED_DIRECTORIES = new Set(["node_modules", "build", "dist", ".git"]);

/** Every Markdown file under `root` outside node_modules, build output and .git, sorted. */
export function markdownFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...markdownFiles(root, path));
    } else if (entry.name.endsWith(".md")) found.push(relative(root, path));
  }
  return found.sort();
}

/** Splits an info string into its language, bare words and attributes. */
export function parseInfo(info: string): Pick<Block, "lang" | "words" | "attributes"> {
  const tokens = info.match(/[^\s=]+="[^"]*"|\S+/g) ?? [];
  const [lang = "", ...rest] = tokens;
  const words: string[] = [];
  const attributes = new Map<string, string>();
  for (const token of rest) {
    const equals = token.indexOf("=");
    if (equals < 0) words.push(token);
    else attributes.set(token.slice(0, equals), token.slice(equals + 1).replace(/^"(.*)"$/, "$1"));
  }
  return { lang, words, attributes };
}

/** The fenced code blocks of `markdown` (the text of `file`), in order. */
export function fencedBlocks(file: string, markdown: string): Block[] {
  const lines = markdown.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3}|\s*(?:[-*]|\d+\.)\s+)?(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const indent = (open[1] ?? "").length;
    const fence = open[2]!;
    const info = open[3]!.trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const text = lines[j]!;
      const closing = text.trim();
      if (closing.startsWith(fence) && closing.replace(/[`~]/g, "") === "" && closing[0] === fence[0]) break;
      body.push(text.slice(Math.min(indent, text.length - text.trimStart().length)));
    }
    blocks.push({ file, line: i + 1, info, ...parseInfo(info), code: body.join("\n") + "\n" });
    i = j;
  }
  return blocks;
}

/** Every fenced block of every Markdown file under `root`. */
export function allBlocks(root: string): Block[] {
  return markdownFiles(root).flatMap((file) => fencedBlocks(file, readFileSync(join(root, file), "utf8")));
}

/** "file:line" for messages. */
export function where(block: Block): string {
  return `${block.file}:${block.line}`;
}
