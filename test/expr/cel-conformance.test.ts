// The CEL conformance suite (cel-spec v0.25.1 as shipped in @bufbuild/cel-spec) against our evaluator.
// Every case of the supported subset runs; excluded files, sections and cases are listed below with
// the reason, and the run prints how many cases ran, passed and were excluded.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { type Value } from "@bufbuild/cel-spec/cel/expr/value_pb.js";
import { type SimpleTest } from "@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js";
import { getConformanceSuite, type IncrementalTest } from "@bufbuild/cel-spec/testdata/tests.js";
import { getTestRegistry } from "@bufbuild/cel-spec/testdata/registry.js";
import { library } from "../crypto/support.js";
import { type CelData, type CelLibrary, decodeCel, encodeBindings, sameCel, showCel } from "./cel-support.js";

const PROTO = "protobuf messages, enums and wrapper types (no protobuf runtime in filters)";

/** Whole files of the suite outside the subset. */
const EXCLUDED_FILES: Record<string, string> = {
  bindings_ext: "cel.bind() is an extension library outside the subset",
  block_ext: "cel.block() is an extension library outside the subset",
  encoders_ext: "base64 encoders are an extension library outside the subset",
  math_ext: "math.* is an extension library outside the subset",
  string_ext: "string extension functions and string formatting are outside the subset",
  macros2: "two-variable comprehensions and transformList/transformMap are an extension outside the subset",
  optionals: "optional types are outside the subset",
  dynamic: PROTO,
  enums: PROTO,
  proto2: PROTO,
  proto2_ext: PROTO,
  proto3: PROTO,
  wrappers: PROTO,
  namespace: "containers (names resolved relative to a protobuf package) are outside the subset",
};

/** Sections (file/section) outside the subset. */
const EXCLUDED_SECTIONS: Record<string, string> = {
  "comparisons/eq_wrapper": PROTO,
  "parse/struct_field_names": PROTO,
};

/** Single cases (file/section/name). */
const EXCLUDED_CASES: Record<string, string> = {};
for (const name of ["getDate", "getDayOfMonth_name_pos", "getDayOfMonth_name_neg", "getDayOfYear", "getMinutes"]) {
  EXCLUDED_CASES[`timestamps/timestamp_selectors_tz/${name}`] = "IANA time zone names need a time zone database";
}

const WELL_KNOWN_TIME = ["google.protobuf.Timestamp", "google.protobuf.Duration"];
const registry = getTestRegistry();

class Unsupported extends Error {}

// The suite's expected values and bindings (cel.expr.Value) as our values; messages other than
// Timestamp and Duration have no counterpart.
function toCel(value: Value): CelData {
  const kind = value.kind;
  switch (kind.case) {
    case "nullValue":
      return { k: "null" };
    case "boolValue":
      return { k: "bool", v: kind.value };
    case "int64Value":
      return { k: "int", v: kind.value };
    case "uint64Value":
      return { k: "uint", v: kind.value };
    case "doubleValue":
      return { k: "double", v: kind.value };
    case "stringValue":
      return { k: "string", v: kind.value };
    case "bytesValue":
      return { k: "bytes", v: kind.value };
    case "listValue":
      return { k: "list", v: kind.value.values.map(toCel) };
    case "mapValue":
      return { k: "map", v: kind.value.entries.map((e) => [toCel(e.key!), toCel(e.value!)]) };
    case "typeValue":
      return { k: "type", v: kind.value };
    case "objectValue": {
      const message = anyUnpack(kind.value, registry);
      if (message?.$typeName === "google.protobuf.Duration") {
        const d = message as unknown as { seconds: bigint; nanos: number };
        return { k: "duration", nanos: d.seconds * 1_000_000_000n + BigInt(d.nanos) };
      }
      if (message?.$typeName === "google.protobuf.Timestamp") {
        const t = message as unknown as { seconds: bigint; nanos: number };
        return { k: "timestamp", seconds: t.seconds, nanos: t.nanos };
      }
      throw new Unsupported(PROTO);
    }
    default:
      throw new Unsupported(PROTO);
  }
}

interface Expected {
  error: boolean;
  value?: CelData;
}

interface Case {
  id: string;
  test: SimpleTest;
  expected: Expected;
  bindings: string;
}

// Why a case does not run, judged from the case's data alone (never from our outcome).
function exclusion(file: string, section: string, t: IncrementalTest): string | null {
  const id = `${file}/${section}/${t.name}`;
  const reason = EXCLUDED_FILES[file] ?? EXCLUDED_SECTIONS[`${file}/${section}`] ?? EXCLUDED_CASES[id];
  if (reason) return reason;
  const test = t.original;
  if (test.checkOnly) return "type-checker output only (no value to compare)";
  if (test.container.length > 0) return EXCLUDED_FILES["namespace"]!;
  if (test.resultMatcher.case === "unknown" || test.resultMatcher.case === "anyUnknowns") return "unknown values";
  const withoutTimeTypes = WELL_KNOWN_TIME.reduce((expr, name) => expr.split(name).join(""), test.expr);
  if (/TestAllTypes|google\.protobuf\./.test(withoutTimeTypes)) return PROTO;
  return null;
}

function expectedOf(test: SimpleTest): Expected {
  const matcher = test.resultMatcher;
  if (matcher.case === "value") return { error: false, value: toCel(matcher.value) };
  if (matcher.case === "typedResult") return { error: false, value: toCel(matcher.value.result!) };
  if (matcher.case === "evalError" || matcher.case === "anyEvalErrors") return { error: true };
  return { error: false, value: { k: "bool", v: true } };
}

function bindingsOf(test: SimpleTest): string {
  const out: Record<string, CelData> = {};
  for (const [name, bound] of Object.entries(test.bindings)) {
    if (bound.kind.case !== "value") throw new Unsupported("bindings to errors or unknowns");
    out[name] = toCel(bound.kind.value);
  }
  return encodeBindings(out);
}

const cases: Case[] = [];
const excluded = new Map<string, number>();
for (const file of getConformanceSuite().suites) {
  for (const section of file.suites) {
    for (const t of section.tests) {
      let reason = exclusion(file.name, section.name, t);
      let expected: Expected | undefined;
      let bindings = "";
      if (!reason) {
        try {
          expected = expectedOf(t.original);
          bindings = bindingsOf(t.original);
        } catch (error) {
          if (!(error instanceof Unsupported)) throw error;
          reason = error.message;
        }
      }
      if (reason || !expected) {
        excluded.set(reason!, (excluded.get(reason!) ?? 0) + 1);
        continue;
      }
      cases.push({ id: `${file.name}/${section.name}/${t.name}`, test: t.original, expected, bindings });
    }
  }
}

let cel: CelLibrary;
let passed = 0;

beforeAll(async () => {
  cel = await library<CelLibrary>("cel", "expr");
});

afterAll(() => {
  const skipped = [...excluded.values()].reduce((a, b) => a + b, 0);
  const lines = [...excluded].map(([reason, n]) => `  ${String(n).padStart(4)}  ${reason}`);
  console.log(
    `CEL conformance: ${cases.length} cases ran, ${passed} passed; ${skipped} excluded:\n${lines.join("\n")}`,
  );
});

describe("CEL conformance suite (cel-spec v0.25.1)", () => {
  it("runs the supported subset of every section it covers", () => {
    expect(cases.length).toBeGreaterThan(700);
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const raw = cel.evaluate(c.test.expr, !c.test.disableCheck, c.bindings);
    if (c.expected.error) {
      // A checked expression may fail at compile time what cel-go rejects only when evaluating.
      const failed = raw.startsWith("!") ? !c.test.disableCheck : decodeCel(raw).k === "error";
      expect(failed, `${c.test.expr} should fail, got ${raw}`).toBe(true);
    } else {
      expect(raw.startsWith("!"), `${c.test.expr} did not compile: ${raw}`).toBe(false);
      const actual = decodeCel(raw);
      const ok = sameCel(actual, c.expected.value!);
      expect(ok, `${c.test.expr}: expected ${showCel(c.expected.value!)}, got ${showCel(actual)}`).toBe(true);
    }
    passed++;
  });
});
