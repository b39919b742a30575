// Unit tests of the CEL evaluator: compile errors with positions, the configure-time checks, lazy
// attribute resolution, error absorption, and inputs that must never trap.

import { beforeAll, describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";
import { type CelData, type CelLibrary, decodeCel, encodeBindings, encodeCel } from "./cel-support.js";

interface CelTestLibrary extends CelLibrary {
  resolvedNames(expr: string, bindings: string): string;
}

let cel: CelTestLibrary;

beforeAll(async () => {
  cel = await library<CelTestLibrary>("cel", "expr");
});

const str = (v: string): CelData => ({ k: "string", v });
const REQUEST = encodeBindings({
  request: {
    k: "map",
    v: [
      [str("path"), str("/api/v1/items")],
      [str("headers"), { k: "map", v: [[str("x-tenant"), str("acme")]] }],
    ],
  },
  "jwt.claims": { k: "map", v: [[str("sub"), str("alice")]] },
});

function run(expr: string, checked = true, bindings = REQUEST): CelData | string {
  const raw = cel.evaluate(expr, checked, bindings);
  return raw.startsWith("!") ? raw.slice(1) : decodeCel(raw);
}

describe("CEL compile errors", () => {
  it("names the line and column of a parse error", () => {
    expect(run("1 +\n  * 2")).toBe("2:3: unexpected token");
    expect(run("'unterminated")).toBe("1:1: unterminated string literal");
    expect(run("a.b(")).toBe("1:5: unexpected end of expression");
  });

  it("rejects integer literals outside 64 bits and accepts the most negative int", () => {
    expect(run("9223372036854775808")).toBe("1:1: integer literal out of range");
    expect(run("-9223372036854775808")).toEqual({ k: "int", v: -9223372036854775808n });
    expect(run("18446744073709551616u")).toBe("1:1: integer literal out of range");
  });

  it("rejects unknown functions and wrong arity at configure time, with the position", () => {
    expect(run("1 + frobnicate(2)")).toBe("1:5: undeclared function 'frobnicate' with 1 argument(s)");
    expect(run("'a'.startsWith()")).toBe("1:4: undeclared function 'startsWith' with 0 argument(s)");
  });

  it("rejects operators whose literal operands have no overload", () => {
    expect(run("1 + 'a'")).toBe("1:3: no matching overload for '_+_' applied to (int, string)");
    expect(run("request.path == 'x' && 1")).toBe("1:24: expected a bool, got 'int'");
    expect(run("{1.5: 'x'}")).toBe("1:2: unsupported map key type 'double'");
    expect(run("[true].all(x, x)")).toEqual({ k: "bool", v: true });
    expect(run("[1].all(x, x)")).toMatchObject({ k: "error" });
  });

  it("rejects malformed macros and message construction", () => {
    expect(run("[1].all(1, true)")).toBe("1:4: all() needs a variable name as its first argument");
    expect(run("has(request)")).toBe("1:1: has() needs a field selection such as has(a.b)");
    expect(run("Foo{a: 1}")).toBe("1:4: message construction is not supported");
  });

  it("rejects an invalid constant regex when checking and fails evaluation with a computed one", () => {
    expect(run("'a'.matches('(')")).toMatch(/^1:13: invalid regular expression: /);
    expect(run("'a'.matches('(' + '')")).toMatchObject({ k: "error" });
  });

  it("defers what checking would reject to evaluation when checking is off", () => {
    expect(run("frobnicate(1) || true", false)).toEqual({ k: "bool", v: true });
    expect(run("frobnicate(1)", false)).toMatchObject({ k: "error" });
  });

  it("bounds nesting, so that hostile expressions fail to compile instead of exhausting the stack", () => {
    expect(run("(".repeat(5000) + "1" + ")".repeat(5000))).toMatch(/nested too deeply/);
    expect(run(Array.from({ length: 5000 }, () => "true").join(" || "))).toMatch(/nested too deeply/);
    expect(run("!".repeat(5000) + "true")).toMatch(/nested too deeply/);
    expect(run(Array.from({ length: 50 }, () => "true").join(" || "))).toEqual({ k: "bool", v: true });
  });
});

describe("CEL evaluation", () => {
  it("evaluates an AuthorizationPolicy-like condition over request attributes", () => {
    const expr = "request.headers['x-tenant'] == 'acme' && request.path.startsWith('/api/')";
    expect(run(expr)).toEqual({ k: "bool", v: true });
    expect(run("jwt.claims.sub == 'alice'")).toEqual({ k: "bool", v: true });
  });

  it("asks the resolver only for attributes evaluation reaches, longest dotted name first", () => {
    expect(cel.resolvedNames("true || request.path == '/'", REQUEST)).toBe("");
    expect(cel.resolvedNames("request.path == '/'", REQUEST)).toBe("request.path,request");
    expect(cel.resolvedNames("jwt.claims.sub == 'alice'", REQUEST)).toBe("jwt.claims.sub,jwt.claims");
    expect(cel.resolvedNames("[1, 2].exists(x, x == 1)", REQUEST)).toBe("");
  });

  it("asks the resolver for each name at most once per evaluation", () => {
    const names = cel.resolvedNames(
      "request.headers['x-tenant'] == 'acme' && request.path != '/' && !has(request.x)",
      REQUEST,
    );
    expect(names).toBe("request.headers,request,request.path");
  });

  it("reads constant indexes and selections after them as part of the attribute", () => {
    expect(run("request.headers['x-tenant']")).toEqual(str("acme"));
    expect(run("request.headers['x-other']")).toMatchObject({ k: "error" });
    expect(run("request.path[0]")).toMatchObject({
      k: "error",
      v: "no matching overload for '_[_]' applied to (string, int)",
    });
    expect(run("request.headers['x-tenant'].size")).toMatchObject({ k: "error" });
    expect(run("request['headers']['x-tenant'] == 'acme' || request['headers'].missing")).toEqual({
      k: "bool",
      v: true,
    });
  });

  it("folds constant sub-expressions without changing results or errors", () => {
    expect(run("[1, 2 + 3, 'a' + 'b'] == [1, 5, 'ab']")).toEqual({ k: "bool", v: true });
    expect(run("{'a': 1}['a'] + size('héllo')")).toEqual({ k: "int", v: 6n });
    expect(run("1 / 0")).toMatchObject({ k: "error", v: "division by zero" });
    expect(run("{1: 'a', 1: 'b'}")).toMatchObject({ k: "error", v: "repeated key in map literal" });
  });

  it("evaluates && and || chains with CEL's absorption in every position", () => {
    expect(run("1 / 0 == 1 && true && false")).toEqual({ k: "bool", v: false });
    expect(run("true && 1 / 0 == 1 && true")).toMatchObject({ k: "error", v: "division by zero" });
    expect(run("false || 1 / 0 == 1 || true")).toEqual({ k: "bool", v: true });
    expect(run("false || false || 1 / 0 == 1")).toMatchObject({ k: "error", v: "division by zero" });
    expect(run("true && true && true")).toEqual({ k: "bool", v: true });
    expect(run("false || (false || false)")).toEqual({ k: "bool", v: false });
  });

  it("reports an unknown attribute as an error value that || can absorb", () => {
    expect(run("source.address == '10.0.0.1'")).toMatchObject({
      k: "error",
      v: "undeclared reference to 'source.address'",
    });
    expect(run("source.address == '10.0.0.1' || true")).toEqual({ k: "bool", v: true });
  });

  it("absorbs errors in && and || as CEL specifies, in either order", () => {
    expect(run("1 / 0 == 1 || true")).toEqual({ k: "bool", v: true });
    expect(run("false && 1 / 0 == 1")).toEqual({ k: "bool", v: false });
    expect(run("1 / 0 == 1 && true")).toMatchObject({ k: "error", v: "division by zero" });
  });

  it("turns overflow, division by zero and range failures into errors, never traps", () => {
    for (const expr of [
      "-9223372036854775808 / -1",
      "-9223372036854775808 % -1",
      "9223372036854775807 * 2",
      "-(-9223372036854775807 - 1)",
      "0u - 1u",
      "1 % 0",
      "int(1e300)",
      "uint(-1)",
      "int('99999999999999999999')",
      "[1][5]",
      "{'a': 1}['b']",
      "timestamp('0000-01-01T00:00:00Z')",
      "duration('999999999999h')",
      "string(b'\\xff')",
    ]) {
      expect(run(expr), expr).toMatchObject({ k: "error" });
    }
  });

  it("reads double literals and double() of text as the nearest double, long ones included", () => {
    // AssemblyScript's parseFloat read this literal as about 1.78e38, so the product was not -1.
    expect(run("int((-(-((-5.609431733951025e-54) * (--1.7827117744343173e+53)))))")).toEqual({ k: "int", v: -1n });
    expect(run("1.7827117744343173e+53 == double('1.7827117744343173e53')")).toEqual({ k: "bool", v: true });
    expect(run("0.30000000000000004 > 0.3")).toEqual({ k: "bool", v: true });
  });

  it("compares numbers across int, uint and double", () => {
    expect(run("dyn(1) == 1u && dyn(1.0) == 1 && dyn(2u) > 1.5 && dyn(-1) < 0u")).toEqual({ k: "bool", v: true });
  });

  it("reads timestamps and durations", () => {
    expect(run("timestamp('2009-02-13T23:31:30Z') + duration('1h30m')")).toEqual({
      k: "timestamp",
      seconds: 1234573290n,
      nanos: 0,
    });
    expect(run("string(duration('1.5s'))")).toEqual(str("1.5s"));
    expect(run("timestamp('2024-02-29T12:00:00+02:00').getDayOfYear()")).toEqual({ k: "int", v: 59n });
  });

  it("applies the macros over lists and map keys", () => {
    expect(run("[1, 2, 3].map(x, x * 2)")).toEqual({
      k: "list",
      v: [1n, 2n, 3n].map((n) => ({ k: "int", v: 2n * n })),
    });
    expect(run("[1, 2, 3].map(x, x > 1, x)")).toEqual({ k: "list", v: [2n, 3n].map((v) => ({ k: "int", v })) });
    expect(run("request.headers.exists_one(h, h.startsWith('x-'))")).toEqual({ k: "bool", v: true });
  });

  it("passes values through the tagged text form unchanged", () => {
    const value: CelData = {
      k: "list",
      v: [
        { k: "double", v: -0.1 },
        { k: "bytes", v: new Uint8Array([0, 255]) },
        { k: "duration", nanos: -1n },
        {
          k: "map",
          v: [
            [
              { k: "uint", v: 18446744073709551615n },
              { k: "type", v: "int" },
            ],
          ],
        },
        str("π ✌ 🐱"),
      ],
    };
    expect(cel.roundTrip(encodeCel(value))).toBe(encodeCel(value));
  });
});
