// A minimal POSIX ustar writer and reader (POSIX.1-1988 header layout, as in GNU tar's "ustar" format).
// The writer is reproducible: every header field that could vary (mtime, uid/gid, owner names, mode)
// is fixed, so the same files always give the same bytes. The reader also follows pax `path` records
// and GNU long names, enough to find `plugin.wasm` in images built by other tools.

/** One regular file in an archive. */
export interface TarFile {
  /** Path inside the archive, relative, "/"-separated. */
  name: string;
  /** File contents. */
  data: Uint8Array;
}

/** One archive member as read back; `type` is the ustar typeflag ("0" for a regular file). */
export interface TarEntry extends TarFile {
  /** The typeflag character ("0" regular file, "5" directory, ...). */
  type: string;
  /** Permission bits from the header. */
  mode: number;
}

const BLOCK = 512;
const FILE_MODE = 0o644;
const OWNER = "root";

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = Buffer.from(value, "utf8");
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  const digits = value.toString(8).padStart(length - 1, "0");
  if (digits.length > length - 1) throw new Error(`tar: ${value} does not fit in a ${length}-byte field`);
  writeString(header, offset, length, digits + "\0");
}

function checksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum;
}

/** Splits a long path into ustar's prefix (up to 155 bytes) and name (up to 100 bytes) fields. */
function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: "", base: name };
  for (let cut = name.indexOf("/"); cut !== -1; cut = name.indexOf("/", cut + 1)) {
    const prefix = name.slice(0, cut);
    const base = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(base) <= 100 && base !== "") return { prefix, base };
  }
  throw new Error(`tar: path too long for ustar: ${name}`);
}

function checkName(name: string): void {
  const parts = name.split("/");
  if (name === "" || name.startsWith("/") || parts.some((part) => part === ".." || part === "")) {
    throw new Error(`tar: not a relative file path: "${name}"`);
  }
}

function header(file: TarFile): Uint8Array {
  checkName(file.name);
  const block = new Uint8Array(BLOCK);
  const { prefix, base } = splitName(file.name);
  writeString(block, 0, 100, base);
  writeOctal(block, 100, 8, FILE_MODE);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, file.data.length);
  writeOctal(block, 136, 12, 0);
  block[156] = "0".charCodeAt(0);
  writeString(block, 257, 6, "ustar\0");
  writeString(block, 263, 2, "00");
  writeString(block, 265, 32, OWNER);
  writeString(block, 297, 32, OWNER);
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  writeString(block, 345, 155, prefix);
  writeString(block, 148, 8, checksum(block).toString(8).padStart(6, "0") + "\0 ");
  return block;
}

/** A ustar archive of `files` in the given order: mode 0644, uid/gid 0, owner root, mtime 0. */
export function writeTar(files: TarFile[]): Buffer {
  const parts: Uint8Array[] = [];
  for (const file of files) {
    parts.push(header(file), file.data, new Uint8Array((BLOCK - (file.data.length % BLOCK)) % BLOCK));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(parts);
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return Buffer.from(end === -1 ? field : field.subarray(0, end)).toString("utf8");
}

function readOctal(block: Uint8Array, offset: number, length: number, what: string): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw new Error(`tar: bad ${what} field "${text}"`);
  return text === "" ? 0 : parseInt(text, 8);
}

/** The `path` record of a pax extended header, if any. */
function paxPath(data: Uint8Array): string | null {
  const text = Buffer.from(data).toString("utf8");
  const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text);
  return match ? match[1]! : null;
}

/** Every member of a tar archive, in order (like Go's reader, the end-of-archive blocks may be missing); throws on a truncated or corrupt archive. */
export function readTar(archive: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let longName: string | null = null;
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) return entries;
    const stored = readOctal(block, 148, 8, "checksum");
    if (stored !== checksum(block)) throw new Error(`tar: bad header checksum at offset ${offset}`);
    const size = readOctal(block, 124, 12, "size");
    const start = offset + BLOCK;
    if (start + size > archive.length) throw new Error(`tar: truncated member at offset ${offset}`);
    const data = archive.subarray(start, start + size);
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
    const type = String.fromCharCode(block[156]!) === "\0" ? "0" : String.fromCharCode(block[156]!);
    if (type === "L") longName = readString(data, 0, data.length);
    else if (type === "x") longName = paxPath(data) ?? longName;
    else {
      // Only POSIX ustar ("ustar\0") has a prefix field; GNU's format keeps other data there.
      const prefix = readString(block, 257, 6) === "ustar" ? readString(block, 345, 155) : "";
      const name = longName ?? (prefix === "" ? "" : prefix + "/") + readString(block, 0, 100);
      entries.push({ name, type, mode: readOctal(block, 100, 8, "mode"), data });
      longName = null;
    }
  }
  if (archive.length % BLOCK !== 0) throw new Error("tar: archive ends inside a block");
  return entries;
}
