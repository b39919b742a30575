// A small cache of recently used objects, for the SDK's decoded-text and header-entry caches: a
// hash picks a set of two slots, a hit moves to the front of its set, and a new object takes the
// front slot and pushes the older one out.

/** Two-way set-associative slots, the more recently used object first in each set. */
export class RecentSets<T> {
  private slots: StaticArray<T>;

  /** 2^`setsLog2` sets of two empty slots. */
  constructor(
    /** How many bits of a hash pick the set. */
    public readonly setsLog2: i32,
  ) {
    this.slots = new StaticArray<T>(2 << setsLog2);
  }

  /** The more recently used object of `set` (null while the slot is empty). */
  first(set: i32): T {
    return unchecked(this.slots[set << 1]);
  }

  /** The other object of `set` (null while the slot is empty). */
  second(set: i32): T {
    return unchecked(this.slots[(set << 1) + 1]);
  }

  /** Marks the second object of `set` as the more recently used. */
  promoteSecond(set: i32): void {
    const at = set << 1;
    const second = unchecked(this.slots[at + 1]);
    unchecked((this.slots[at + 1] = this.slots[at]));
    unchecked((this.slots[at] = second));
  }

  /** Keeps `value` first in `set`; the first object moves second and the second is dropped. */
  insert(set: i32, value: T): void {
    const at = set << 1;
    unchecked((this.slots[at + 1] = this.slots[at]));
    unchecked((this.slots[at] = value));
  }
}
