// A header map with Envoy's behaviour (HeaderMapImpl): names lowercased (A-Z only), pseudo-headers kept
// ahead of the rest in insertion order, repeated names kept as separate entries except for inline
// headers (which join with ","), `host` standing for `:authority` in request headers, replace
// moving the header to the end, and `byteSize` as Envoy computes it.

import { type HeaderMapKind, isInline } from "./inline-headers.js";
import { headerByteLength } from "./header-text.js";
import { type HeaderEntry } from "./pairs.js";

/** An ordered, case-insensitive multimap of headers. */
export class HeaderMap {
  private entries: HeaderEntry[] = [];

  constructor(
    initial: Iterable<HeaderEntry> = [],
    /** Which Envoy map this models; decides the inline headers. */
    readonly kind: HeaderMapKind = "plain",
  ) {
    for (const [name, value] of initial) this.add(name, value);
  }

  private key(name: string): string {
    const key = asciiLowerCase(name);
    return key === "host" && this.kind === "request-headers" ? ":authority" : key;
  }

  /** Every entry in Envoy's iteration order. */
  all(): HeaderEntry[] {
    return this.entries.map(([k, v]) => [k, v]);
  }

  /** Every entry in Envoy's iteration order, not copied: only for reading before the map changes. */
  view(): readonly HeaderEntry[] {
    return this.entries;
  }

  /** The number of entries, counting each repeated name once per value. */
  get size(): number {
    return this.entries.length;
  }

  /** The first value of `name`, or undefined when absent. */
  get(name: string): string | undefined {
    return this.find(this.key(name))?.[1];
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const key = this.key(name);
    const values: string[] = [];
    for (const [k, v] of this.entries) if (k === key) values.push(v);
    return values;
  }

  /**
   * Adds a value (Envoy's addCopy): an inline header that exists gets ",value" appended in place;
   * otherwise a new entry goes after the pseudo-headers (for a pseudo-header) or at the end.
   */
  add(name: string, value: string): void {
    this.addKey(this.key(name), value);
  }

  private addKey(key: string, value: string): void {
    const existing = isInline(this.kind, key) ? this.find(key) : undefined;
    if (existing) {
      if (value !== "") existing[1] = existing[1] === "" ? value : `${existing[1]},${value}`;
      return;
    }
    this.insert(key, value);
  }

  // Adds an entry of `key`, which has none.
  private insert(key: string, value: string): void {
    if (key.startsWith(":")) {
      this.entries.splice(this.firstRegular(), 0, [key, value]);
    } else {
      this.entries.push([key, value]);
    }
  }

  /** Makes `value` the only value of `name` (Envoy's setCopy: remove, then add, so it moves to the end). */
  set(name: string, value: string): void {
    const key = this.key(name);
    this.removeKey(key);
    this.insert(key, value);
  }

  /** Sets `name` in place when present (Envoy's typed setters), else adds it. */
  setInPlace(name: string, value: string): void {
    const key = this.key(name);
    const existing = this.find(key);
    if (existing) existing[1] = value;
    else this.addKey(key, value);
  }

  /** Removes every entry of `name`. */
  remove(name: string): void {
    this.removeKey(this.key(name));
  }

  private removeKey(key: string): void {
    const entries = this.entries;
    let kept = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (entry[0] !== key) entries[kept++] = entry;
    }
    if (kept !== entries.length) entries.length = kept;
  }

  // The first entry of `key` (lowercased), without a closure per lookup.
  private find(key: string): HeaderEntry | undefined {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (entries[i]![0] === key) return entries[i];
    return undefined;
  }

  // Where a new pseudo-header goes: before the first regular header.
  private firstRegular(): number {
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) if (!entries[i]![0].startsWith(":")) return i;
    return entries.length;
  }

  /** Removes everything. */
  clear(): void {
    this.entries = [];
  }

  /** The sum of the byte lengths of every name and value (Envoy's `byteSize`). */
  byteSize(): number {
    return this.entries.reduce((n, [k, v]) => n + headerByteLength(k) + headerByteLength(v), 0);
  }

  /** A plain object of the map (repeated names joined with ","), handy in test assertions. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.entries) out[k] = k in out ? `${out[k]},${v}` : v;
    return out;
  }
}

// Envoy lowercases header names byte by byte, A-Z only (LowerCaseString); names are lowercase
// almost always, so a scan comes first.
function asciiLowerCase(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 65 && c <= 90) return name.replace(/[A-Z]+/g, (capitals) => capitals.toLowerCase());
  }
  return name;
}
