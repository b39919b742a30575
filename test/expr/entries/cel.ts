// Test entry: exposes the CEL evaluator to Node. Values cross the boundary in a compact tagged text
// form (test/expr/cel-support.ts writes and reads the same form):
//   n  t  f  i<int>;  u<uint>;  d<16 hex digits of the IEEE bits>  s<length>:<text>  b<hex>;
//   l<count>:<items>  m<count>:<key><value>...  T<seconds>,<nanos>;  D<nanos>;  y<length>:<type name>
//   e<length>:<message>
// Lengths count UTF-16 units. Bindings are a map from names to values; compile errors come back as
// "!" followed by the message.

import {
  CelBindings,
  CelBool,
  CelBytes,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  CelKind,
  CelList,
  CelMap,
  CelMapValue,
  CelOptions,
  CelProgram,
  CelResolver,
  CelString,
  CelTimestamp,
  CelType,
  CelUint,
  CelValue,
  CEL_FALSE,
  CEL_NULL,
  CEL_TRUE,
} from "../../../assembly/cel";

class Reader {
  at: i32 = 0;
  constructor(private text: string) {}

  until(stop: string): string {
    const end = this.text.indexOf(stop, this.at);
    if (end < 0) throw new Error("malformed value: missing '" + stop + "'");
    const part = this.text.substring(this.at, end);
    this.at = end + 1;
    return part;
  }

  counted(): string {
    const length = <i32>parseUnsigned(this.until(":"));
    const part = this.text.substring(this.at, this.at + length);
    this.at += length;
    return part;
  }

  value(): CelValue {
    const tag = this.text.charAt(this.at++);
    if (tag == "n") return CEL_NULL;
    if (tag == "t") return CEL_TRUE;
    if (tag == "f") return CEL_FALSE;
    if (tag == "i") return new CelInt(parseSigned(this.until(";")));
    if (tag == "u") return new CelUint(parseUnsigned(this.until(";")));
    if (tag == "d") {
      const bits = parseHex(this.text.substring(this.at, this.at + 16));
      this.at += 16;
      return new CelDouble(reinterpret<f64>(bits));
    }
    if (tag == "s") return new CelString(this.counted());
    if (tag == "b") {
      const hex = this.until(";");
      const out = new Uint8Array(hex.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = <u8>parseHex(hex.substring(2 * i, 2 * i + 2));
      return new CelBytes(out);
    }
    if (tag == "l") {
      const count = <i32>parseUnsigned(this.until(":"));
      const items: CelValue[] = [];
      for (let i = 0; i < count; i++) items.push(this.value());
      return new CelList(items);
    }
    if (tag == "m") {
      const count = <i32>parseUnsigned(this.until(":"));
      const map = new CelMapValue();
      for (let i = 0; i < count; i++) {
        const key = this.value();
        map.put(key, this.value());
      }
      return map;
    }
    if (tag == "T") {
      const seconds = parseSigned(this.until(","));
      return new CelTimestamp(seconds, <i32>parseSigned(this.until(";")));
    }
    if (tag == "D") return new CelDuration(parseSigned(this.until(";")));
    if (tag == "y") return new CelType(this.counted());
    if (tag == "e") return new CelError(this.counted());
    throw new Error("malformed value: unknown tag '" + tag + "'");
  }
}

function parseUnsigned(text: string): u64 {
  let v: u64 = 0;
  for (let i = 0; i < text.length; i++) v = v * 10 + <u64>(text.charCodeAt(i) - 48);
  return v;
}

function parseSigned(text: string): i64 {
  return text.startsWith("-") ? -(<i64>parseUnsigned(text.substring(1))) : <i64>parseUnsigned(text);
}

function parseHex(text: string): u64 {
  let v: u64 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    v = (v << 4) | (<u64>(c <= 57 ? c - 48 : (c | 32) - 87));
  }
  return v;
}

function hex(v: u64, digits: i32): string {
  let out = "";
  for (let i = digits - 1; i >= 0; i--) out += "0123456789abcdef".charAt(<i32>((v >> (<u64>(4 * i))) & 15));
  return out;
}

function counted(tag: string, text: string): string {
  return tag + text.length.toString() + ":" + text;
}

function encode(v: CelValue): string {
  switch (v.kind) {
    case CelKind.Null:
      return "n";
    case CelKind.Bool:
      return changetype<CelBool>(v).value ? "t" : "f";
    case CelKind.Int:
      return "i" + changetype<CelInt>(v).value.toString() + ";";
    case CelKind.Uint:
      return "u" + changetype<CelUint>(v).value.toString() + ";";
    case CelKind.Double:
      return "d" + hex(reinterpret<u64>(changetype<CelDouble>(v).value), 16);
    case CelKind.String:
      return counted("s", changetype<CelString>(v).value);
    case CelKind.Bytes: {
      const bytes = changetype<CelBytes>(v).value;
      let out = "b";
      for (let i = 0; i < bytes.length; i++) out += hex(bytes[i], 2);
      return out + ";";
    }
    case CelKind.List: {
      const items = changetype<CelList>(v).items;
      let out = "l" + items.length.toString() + ":";
      for (let i = 0; i < items.length; i++) out += encode(items[i]);
      return out;
    }
    case CelKind.Map: {
      const map = changetype<CelMap>(v);
      const keys = map.keys();
      let out = "m" + keys.length.toString() + ":";
      for (let i = 0; i < keys.length; i++) out += encode(keys[i]) + encode(map.get(keys[i])!);
      return out;
    }
    case CelKind.Timestamp: {
      const t = changetype<CelTimestamp>(v);
      return "T" + t.seconds.toString() + "," + t.nanos.toString() + ";";
    }
    case CelKind.Duration:
      return "D" + changetype<CelDuration>(v).nanos.toString() + ";";
    case CelKind.Type:
      return counted("y", changetype<CelType>(v).name);
    default:
      return counted("e", changetype<CelError>(v).message);
  }
}

function bind(bindings: string): CelBindings {
  const out = new CelBindings();
  const map = changetype<CelMap>(new Reader(bindings).value());
  const keys = map.keys();
  for (let i = 0; i < keys.length; i++) out.set(changetype<CelString>(keys[i]).value, map.get(keys[i])!);
  return out;
}

/** Compiles `expr` (checked when `checked`) and evaluates it with `bindings`; "!" + message on compile errors. */
export function evaluate(expr: string, checked: bool, bindings: string): string {
  const options = new CelOptions();
  options.check = checked;
  const compiled = CelProgram.compile(expr, options);
  const program = compiled.program;
  if (program == null) return "!" + compiled.error;
  return encode(program.evaluate(bind(bindings)));
}

// Records which names evaluation asked for, to show that resolution is lazy.
class RecordingResolver extends CelResolver {
  asked: string[] = [];
  constructor(private inner: CelBindings) {
    super();
  }
  resolve(name: string): CelValue | null {
    this.asked.push(name);
    return this.inner.resolve(name);
  }
}

/** Evaluates a checked `expr` and returns the names the resolver was asked for, comma-separated. */
export function resolvedNames(expr: string, bindings: string): string {
  const program = CelProgram.compile(expr).program;
  if (program == null) return "!";
  const resolver = new RecordingResolver(bind(bindings));
  program.evaluate(resolver);
  return resolver.asked.join(",");
}

/** Decodes and re-encodes a value, so tests can check the codec itself. */
export function roundTrip(value: string): string {
  return encode(new Reader(value).value());
}

let prepared: CelProgram | null = null;
let preparedBindings = new CelBindings();

// For benchmarks: keeps a compiled program and its bindings inside the module, so timing
// `runPrepared` measures evaluation alone, as a filter runs it per request.
export function prepare(expr: string, bindings: string): string {
  const compiled = CelProgram.compile(expr);
  prepared = compiled.program;
  preparedBindings = bind(bindings);
  return compiled.error;
}

/** Evaluates the prepared program `iterations` times; returns how many results were true. */
export function runPrepared(iterations: i32): i32 {
  const program = prepared;
  if (program == null) return -1;
  let trues = 0;
  for (let i = 0; i < iterations; i++) if (program.test(preparedBindings)) trues++;
  return trues;
}
