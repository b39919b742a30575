// A copy of a header map, for phases in which the host no longer offers it: request headers vanish
// once onRequestHeaders returns Continue (reference abi.md 10, gotcha 13), so a filter that needs
// them when the response comes keeps a snapshot in its stream context.

import { Header } from "./header";

/** Header entries copied while their map was readable; taken with `HeaderMap.snapshot()`. */
export class HeaderSnapshot {
  constructor(
    /** The entries in the host's order; a repeated name appears once per value. */
    public readonly entries: Array<Header>,
  ) {}

  /**
   * Returns the first value of `name` (lowercase; request headers keep `host` as `:authority`, see
   * `requestHeaderKey`) when the snapshot was taken, or null when it had none.
   */
  get(name: string): string | null {
    for (let i = 0; i < this.entries.length; i++) {
      if (this.entries[i].name == name) return this.entries[i].value;
    }
    return null;
  }

  /** Returns every value of `name` in order; empty when it had none. */
  values(name: string): Array<string> {
    const found = new Array<string>();
    for (let i = 0; i < this.entries.length; i++) {
      if (this.entries[i].name == name) found.push(this.entries[i].value);
    }
    return found;
  }

  /** Returns true when `name` had a value (possibly empty). */
  has(name: string): bool {
    return this.get(name) != null;
  }
}
