// What the CEL tests and benchmarks share: the CEL test library's interface and the tagged text form
// its values cross the Wasm boundary in (written and read by test/expr/entries/cel.ts).

/** The functions test/expr/entries/cel.ts exports. */
export interface CelLibrary {
  evaluate(expr: string, checked: boolean, bindings: string): string;
  roundTrip(value: string): string;
  prepare(expr: string, bindings: string): string;
  runPrepared(iterations: number): number;
}

/** A CEL value on the Node side. */
export type CelData =
  | { k: "null" }
  | { k: "bool"; v: boolean }
  | { k: "int"; v: bigint }
  | { k: "uint"; v: bigint }
  | { k: "double"; v: number }
  | { k: "string"; v: string }
  | { k: "bytes"; v: Uint8Array }
  | { k: "list"; v: CelData[] }
  | { k: "map"; v: [CelData, CelData][] }
  | { k: "timestamp"; seconds: bigint; nanos: number }
  | { k: "duration"; nanos: bigint }
  | { k: "type"; v: string }
  | { k: "error"; v: string };

function counted(tag: string, text: string): string {
  return `${tag}${text.length}:${text}`;
}

/** The tagged text of a value. */
export function encodeCel(value: CelData): string {
  switch (value.k) {
    case "null":
      return "n";
    case "bool":
      return value.v ? "t" : "f";
    case "int":
      return `i${value.v};`;
    case "uint":
      return `u${value.v};`;
    case "double": {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, value.v);
      return `d${view.getBigUint64(0).toString(16).padStart(16, "0")}`;
    }
    case "string":
      return counted("s", value.v);
    case "bytes":
      return `b${Buffer.from(value.v).toString("hex")};`;
    case "list":
      return `l${value.v.length}:${value.v.map(encodeCel).join("")}`;
    case "map":
      return `m${value.v.length}:${value.v.map(([k, v]) => encodeCel(k) + encodeCel(v)).join("")}`;
    case "timestamp":
      return `T${value.seconds},${value.nanos};`;
    case "duration":
      return `D${value.nanos};`;
    case "type":
      return counted("y", value.v);
    case "error":
      return counted("e", value.v);
  }
}

/** The tagged text of a set of bindings (a map from names to values). */
export function encodeBindings(bindings: Record<string, CelData>): string {
  return encodeCel({ k: "map", v: Object.entries(bindings).map(([name, v]) => [{ k: "string", v: name }, v]) });
}

/** Reads tagged text back into a value. */
export function decodeCel(text: string): CelData {
  let at = 0;
  const until = (stop: string): string => {
    const end = text.indexOf(stop, at);
    if (end < 0) throw new Error(`malformed value at ${at}: ${text}`);
    const part = text.slice(at, end);
    at = end + 1;
    return part;
  };
  const countedText = (): string => {
    const length = Number(until(":"));
    const part = text.slice(at, at + length);
    at += length;
    return part;
  };
  const value = (): CelData => {
    const tag = text[at++];
    switch (tag) {
      case "n":
        return { k: "null" };
      case "t":
      case "f":
        return { k: "bool", v: tag === "t" };
      case "i":
        return { k: "int", v: BigInt(until(";")) };
      case "u":
        return { k: "uint", v: BigInt(until(";")) };
      case "d": {
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, BigInt(`0x${text.slice(at, at + 16)}`));
        at += 16;
        return { k: "double", v: view.getFloat64(0) };
      }
      case "s":
        return { k: "string", v: countedText() };
      case "b":
        return { k: "bytes", v: new Uint8Array(Buffer.from(until(";"), "hex")) };
      case "l":
        return { k: "list", v: Array.from({ length: Number(until(":")) }, value) };
      case "m":
        return {
          k: "map",
          v: Array.from({ length: Number(until(":")) }, () => [value(), value()] as [CelData, CelData]),
        };
      case "T":
        return { k: "timestamp", seconds: BigInt(until(",")), nanos: Number(until(";")) };
      case "D":
        return { k: "duration", nanos: BigInt(until(";")) };
      case "y":
        return { k: "type", v: countedText() };
      case "e":
        return { k: "error", v: countedText() };
    }
    throw new Error(`unknown tag ${tag} in ${text}`);
  };
  return value();
}

function numeric(v: CelData): number | bigint | undefined {
  return v.k === "int" || v.k === "uint" || v.k === "double" ? v.v : undefined;
}

/**
 * CEL equality of two results (numbers across kinds, maps in any order), except that NaN equals NaN
 * and -0 equals 0, so that an expected value compares equal to itself.
 */
export function sameCel(a: CelData, b: CelData): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "double": {
      const y = numeric(b) as number;
      return (Number.isNaN(a.v) && Number.isNaN(y)) || a.v === y;
    }
    case "bytes":
      return Buffer.from(a.v).equals(Buffer.from((b as typeof a).v));
    case "list": {
      const y = (b as typeof a).v;
      return a.v.length === y.length && a.v.every((item, i) => sameCel(item, y[i]!));
    }
    case "map": {
      const y = (b as typeof a).v;
      return a.v.length === y.length && a.v.every(([k, v]) => y.some(([k2, v2]) => sameCel(k, k2) && sameCel(v, v2)));
    }
    case "timestamp":
      return a.seconds === (b as typeof a).seconds && a.nanos === (b as typeof a).nanos;
    case "duration":
      return a.nanos === (b as typeof a).nanos;
    case "error":
      return true;
    case "null":
      return true;
    default:
      return a.v === (b as typeof a).v;
  }
}

/** A short readable form of a value for test messages. */
export function showCel(v: CelData): string {
  return JSON.stringify(v, (_key, x: unknown) =>
    typeof x === "bigint" ? `${x}n` : x instanceof Uint8Array ? Buffer.from(x).toString("hex") : x,
  );
}
