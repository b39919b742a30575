// Every exported SDK declaration, and every public member of an exported class, has a doc comment
// (STYLE.md: when it may be called, what null or a failure means). AssemblyScript parses as
// TypeScript, so the TypeScript compiler finds them.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function hasDocComment(node: ts.Node, text: string): boolean {
  const comments = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  return comments.some((c) => text.startsWith("/**", c.pos));
}

function modifiers(node: ts.Node): ts.SyntaxKind[] {
  return ts.canHaveModifiers(node) ? (ts.getModifiers(node) ?? []).map((m) => m.kind) : [];
}

function isExported(node: ts.Node): boolean {
  return modifiers(node).includes(ts.SyntaxKind.ExportKeyword);
}

function isPublic(node: ts.Node): boolean {
  const kinds = modifiers(node);
  return !kinds.includes(ts.SyntaxKind.PrivateKeyword) && !kinds.includes(ts.SyntaxKind.ProtectedKeyword);
}

function nameOf(node: ts.Node): string {
  if (ts.isVariableStatement(node)) return node.declarationList.declarations.map((d) => d.name.getText()).join(", ");
  if (ts.isConstructorDeclaration(node)) return "constructor";
  const name = (node as { name?: ts.Node }).name;
  return name ? name.getText() : "(anonymous)";
}

/** The exported declarations of `file` (and public members of its exported classes) without a doc comment. */
function undocumented(file: string, text = readFileSync(file, "utf8")): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const where = (node: ts.Node, name: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    missing.push(`${file}:${line + 1} ${name}`);
  };
  const visit = (statements: readonly ts.Statement[], prefix: string) => {
    for (const statement of statements) {
      if (!isExported(statement) || ts.isExportDeclaration(statement)) continue;
      const name = prefix + nameOf(statement);
      if (!hasDocComment(statement, text)) where(statement, name);
      if (ts.isModuleDeclaration(statement) && statement.body && ts.isModuleBlock(statement.body)) {
        visit(statement.body.statements, name + ".");
      }
      if (!ts.isClassDeclaration(statement)) continue;
      for (const member of statement.members) {
        if (ts.isConstructorDeclaration(member)) {
          for (const parameter of member.parameters) {
            const property = modifiers(parameter).some((k) =>
              [ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ReadonlyKeyword].includes(k),
            );
            if (property && isPublic(parameter) && !hasDocComment(parameter, text)) {
              where(parameter, `${name}.${parameter.name.getText()}`);
            }
          }
          continue;
        }
        if (ts.isClassStaticBlockDeclaration(member) || !isPublic(member)) continue;
        if (member.name && ts.isPrivateIdentifier(member.name)) continue;
        if (!hasDocComment(member, text)) where(member, `${name}.${nameOf(member)}`);
      }
    }
  };
  visit(source.statements, "");
  return missing;
}

describe("SDK doc comments", () => {
  it("finds undocumented declarations and members, and accepts documented ones", () => {
    const sample = [
      "/** Documented. */",
      "export class A {",
      "  constructor(",
      "    public readonly id: u32,",
      "    /** Documented. */",
      "    public name: string,",
      "    private x: i32,",
      "  ) {}",
      "  /** Documented. */",
      "  get ok(): bool { return true; }",
      "  run(): void {}",
      "  private hidden(): void {}",
      "}",
      "export function f(): void {}",
      "export namespace n {",
      "  /** Documented. */",
      "  export const a = 1;",
      "  export const b = 2;",
      "}",
      "function internal(): void {}",
    ].join("\n");
    expect(undocumented("sample.ts", sample)).toEqual([
      "sample.ts:4 A.id",
      "sample.ts:11 A.run",
      "sample.ts:14 f",
      "sample.ts:15 n",
      "sample.ts:18 n.b",
    ]);
    expect(sources("assembly").length).toBeGreaterThan(20);
  });

  it("documents every exported declaration and public member of an exported class", () => {
    const missing = sources("assembly").flatMap((file) => undocumented(file));
    expect(missing, `missing doc comments:\n${missing.join("\n")}`).toEqual([]);
  });
});
