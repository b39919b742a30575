// A header map with Envoy's behaviour: names lowercased, pseudo-headers kept ahead of the rest,
// repeated names kept as separate entries, and `byteSize` as Envoy computes it.

import { type HeaderEntry } from "./pairs.js";

/** An ordered, case-insensitive multimap of headers. */
export class HeaderMap {
  private entries: HeaderEntry[] = [];

  constructor(initial: Iterable<HeaderEntry> = []) {
    for (const [name, value] of initial) this.add(name, value);
  }

  /** Every entry in Envoy's iteration order. */
  all(): HeaderEntry[] {
    return this.entries.map(([k, v]) => [k, v]);
  }

  /** The number of entries, counting each repeated name once per value. */
  get size(): number {
    return this.entries.length;
  }

  /** The first value of `name`, or undefined when absent. */
  get(name: string): string | undefined {
    const key = name.toLowerCase();
    return this.entries.find(([k]) => k === key)?.[1];
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const key = name.toLowerCase();
    return this.entries.filter(([k]) => k === key).map(([, v]) => v);
  }

  /** Appends an entry; pseudo-headers go after the existing pseudo-headers, before the rest. */
  add(name: string, value: string): void {
    const key = name.toLowerCase();
    if (key.startsWith(":")) {
      const firstRegular = this.entries.findIndex(([k]) => !k.startsWith(":"));
      this.entries.splice(firstRegular < 0 ? this.entries.length : firstRegular, 0, [key, value]);
    } else {
      this.entries.push([key, value]);
    }
  }

  /** Replaces the first entry of `name` and drops the others; adds it when absent. */
  set(name: string, value: string): void {
    const key = name.toLowerCase();
    const first = this.entries.findIndex(([k]) => k === key);
    if (first < 0) {
      this.add(key, value);
      return;
    }
    this.entries[first] = [key, value];
    this.entries = this.entries.filter(([k], i) => k !== key || i === first);
  }

  /** Removes every entry of `name`. */
  remove(name: string): void {
    const key = name.toLowerCase();
    this.entries = this.entries.filter(([k]) => k !== key);
  }

  /** Removes everything. */
  clear(): void {
    this.entries = [];
  }

  /** The sum of the UTF-8 lengths of every name and value (Envoy's `byteSize`). */
  byteSize(): number {
    const encoder = new TextEncoder();
    return this.entries.reduce((n, [k, v]) => n + encoder.encode(k).length + encoder.encode(v).length, 0);
  }

  /** A plain object of the map (repeated names joined with ","), handy in test assertions. */
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.entries) out[k] = k in out ? `${out[k]},${v}` : v;
    return out;
  }
}
