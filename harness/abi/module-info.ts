// Reads the import and export sections of a wasm binary with their function signatures, which
// the WebAssembly JS API does not expose, so the harness can refuse what Envoy refuses.

/** One import of a module; `signature` is set for functions, as "(i32,i64)->i32". */
export interface ImportEntry {
  module: string;
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
  signature?: string;
}

/** One export of a module; `signature` is set for functions. */
export interface ExportEntry {
  name: string;
  kind: "function" | "table" | "memory" | "global" | "tag";
  signature?: string;
}

/** The imports and exports of a module, in section order. */
export interface ModuleInfo {
  imports: ImportEntry[];
  exports: ExportEntry[];
}

const KINDS = ["function", "table", "memory", "global", "tag"] as const;
const VALUE_TYPES: Record<number, string> = { 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64", 0x7b: "v128" };

class Reader {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error("truncated wasm binary");
    return this.bytes[this.pos++]!;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
      if (shift > 35) throw new Error("malformed LEB128 in wasm binary");
    }
  }
  name(): string {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + length));
    this.pos += length;
    return text;
  }
  valueType(): string {
    const code = this.byte();
    return VALUE_TYPES[code] ?? `0x${code.toString(16)}`;
  }
  skipLimits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

/** Parses the type, import, function and export sections of `binary`. */
export function readModuleInfo(binary: Uint8Array): ModuleInfo {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (binary.length < 8 || magic.some((b, i) => binary[i] !== b)) throw new Error("not a wasm binary (version 1)");
  const r = new Reader(binary);
  r.pos = 8;
  const types: string[] = [];
  const functionTypes: number[] = [];
  const imports: ImportEntry[] = [];
  const rawExports: { name: string; kind: number; index: number }[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 1) {
      for (let n = r.u32(); n > 0; n--) {
        if (r.byte() !== 0x60) throw new Error("unsupported type form in wasm binary");
        const params = Array.from({ length: r.u32() }, () => r.valueType());
        const results = Array.from({ length: r.u32() }, () => r.valueType());
        types.push(`(${params.join(",")})->${results.join(",")}`);
      }
    } else if (id === 2) {
      for (let n = r.u32(); n > 0; n--) {
        const module = r.name();
        const name = r.name();
        const kind = r.byte();
        const entry: ImportEntry = { module, name, kind: KINDS[kind] ?? "tag" };
        if (kind === 0) {
          const typeIndex = r.u32();
          entry.signature = types[typeIndex];
          functionTypes.push(typeIndex);
        } else if (kind === 1) {
          r.byte();
          r.skipLimits();
        } else if (kind === 2) {
          r.skipLimits();
        } else if (kind === 3) {
          r.byte();
          r.byte();
        } else {
          r.byte();
          r.u32();
        }
        imports.push(entry);
      }
    } else if (id === 3) {
      for (let n = r.u32(); n > 0; n--) functionTypes.push(r.u32());
    } else if (id === 7) {
      for (let n = r.u32(); n > 0; n--) rawExports.push({ name: r.name(), kind: r.byte(), index: r.u32() });
    }
    r.pos = end;
  }
  const exports = rawExports.map(({ name, kind, index }): ExportEntry => {
    const entry: ExportEntry = { name, kind: KINDS[kind] ?? "tag" };
    if (kind === 0) entry.signature = types[functionTypes[index] ?? -1];
    return entry;
  });
  return { imports, exports };
}
