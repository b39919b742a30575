// The DFA's states in a table bounded by a memory budget (RE2's state cache): each state is a
// sorted set of instruction indices with a flags word, and owns one row of transitions. The
// table starts small and doubles; when doubling would pass the budget it is flushed and refilled
// from the current state on, so memory stays bounded and time linear.

/** A transition not computed yet. */
export const UNKNOWN: i32 = -1;
/** State 0 matches nothing, ever. */
export const DEAD: i32 = 0;
/** The fewest states a DFA may be limited to; a smaller budget leaves matching to the Pike VM. */
const MIN_STATES: i32 = 4;
// Per state: offset and length of its set in the pool, its flags, its hash.
const META: i32 = 4;

let memoryBudget: i32 = 1 << 18;
let flushes: i32 = 0;

/** Sets the memory, in bytes, each regex's DFA may use from then on (256 KiB by default). */
export function setDfaMemoryBudget(bytes: i32): void {
  memoryBudget = bytes;
}

/** How many times any DFA cache has been flushed for lack of room (a diagnostic). */
export function dfaCacheFlushes(): i32 {
  return flushes;
}

function bytesFor(states: i32, stride: i32, pool: i32): i64 {
  return i64(states) * i64(stride * 4 + META * 4 + 8) + i64(pool) * 4;
}

/** Whether a DFA with `stride` columns and sets of up to `largestSet` fits the budget. */
export function fitsBudget(stride: i32, largestSet: i32): bool {
  return bytesFor(MIN_STATES, stride, largestSet) <= i64(memoryBudget);
}

/** The states of one DFA. */
export class StateCache {
  /** Transitions: `stride` per state, each (next << 2) | (next is special << 1) | (matched before). */
  trans: StaticArray<i32>;
  /** The number of states. */
  count: i32 = 0;
  /** Bumped by every flush, so that callers know their state indices are stale. */
  epoch: i32 = 0;
  private meta: StaticArray<i32>;
  private table: StaticArray<i32>;
  private pool: StaticArray<i32>;
  private poolUsed: i32 = 0;
  private capacity: i32 = MIN_STATES;
  private budget: i32 = memoryBudget;

  constructor(
    private stride: i32,
    largestSet: i32,
  ) {
    this.trans = new StaticArray<i32>(MIN_STATES * stride);
    this.meta = new StaticArray<i32>(MIN_STATES * META);
    this.table = new StaticArray<i32>(MIN_STATES * 2);
    this.pool = new StaticArray<i32>(max(largestSet, 16));
    this.addDead();
  }

  /** The flags word of `state`. */
  @inline flags(state: i32): i32 {
    return unchecked(this.meta[state * META + 2]);
  }

  /** The address of `state`'s set. */
  @inline set(state: i32): usize {
    return changetype<usize>(this.pool) + (usize(unchecked(this.meta[state * META])) << 2);
  }

  /** The size of `state`'s set. */
  @inline setSize(state: i32): i32 {
    return unchecked(this.meta[state * META + 1]);
  }

  /** The state holding `size` indices at `set` with `flags`, added when new (which may flush). */
  intern(flags: i32, set: usize, size: i32): i32 {
    let hash = flags * 0x01000193;
    for (let i = 0; i < size; i++) hash = (hash ^ load<i32>(set + (usize(i) << 2))) * 0x01000193;
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (true) {
      const found = unchecked(this.table[slot]) - 1;
      if (found < 0) break;
      const m = found * META;
      const same = unchecked(this.meta[m + 3]) == hash && unchecked(this.meta[m + 2]) == flags;
      if (same && unchecked(this.meta[m + 1]) == size && memory.compare(this.set(found), set, usize(size) << 2) == 0) {
        return found;
      }
      slot = (slot + 1) & mask;
    }
    // Growing rehashes and flushing empties the table: look for a free slot afresh.
    if (!this.makeRoom(size)) this.flush();
    const table = this.table;
    slot = hash & (table.length - 1);
    while (unchecked(table[slot]) != 0) slot = (slot + 1) & (table.length - 1);
    return this.add(flags, set, size, hash, slot);
  }

  private add(flags: i32, set: usize, size: i32, hash: i32, slot: i32): i32 {
    const state = this.count++;
    const m = state * META;
    unchecked((this.meta[m] = this.poolUsed));
    unchecked((this.meta[m + 1] = size));
    unchecked((this.meta[m + 2] = flags));
    unchecked((this.meta[m + 3] = hash));
    memory.copy(changetype<usize>(this.pool) + (usize(this.poolUsed) << 2), set, usize(size) << 2);
    this.poolUsed += size;
    unchecked((this.table[slot] = state + 1));
    const row = changetype<usize>(this.trans) + (usize(state * this.stride) << 2);
    memory.fill(row, 0xff, usize(this.stride) << 2);
    return state;
  }

  // Grows the table or the pool so that one more state of `size` fits; false when that would pass the budget.
  private makeRoom(size: i32): bool {
    let capacity = this.capacity;
    let pool = this.pool.length;
    if (this.count + 1 > capacity) capacity *= 2;
    while (this.poolUsed + size > pool) pool *= 2;
    if (capacity == this.capacity && pool == this.pool.length) return true;
    if (bytesFor(capacity, this.stride, pool) > i64(this.budget)) return false;
    if (pool != this.pool.length) {
      const grown = new StaticArray<i32>(pool);
      memory.copy(changetype<usize>(grown), changetype<usize>(this.pool), usize(this.poolUsed) << 2);
      this.pool = grown;
    }
    if (capacity != this.capacity) this.grow(capacity);
    return true;
  }

  private grow(capacity: i32): void {
    const trans = new StaticArray<i32>(capacity * this.stride);
    memory.copy(changetype<usize>(trans), changetype<usize>(this.trans), usize(this.count * this.stride) << 2);
    this.trans = trans;
    const meta = new StaticArray<i32>(capacity * META);
    memory.copy(changetype<usize>(meta), changetype<usize>(this.meta), usize(this.count * META) << 2);
    this.meta = meta;
    this.capacity = capacity;
    const table = new StaticArray<i32>(capacity * 2);
    const mask = table.length - 1;
    for (let state = 0; state < this.count; state++) {
      let slot = unchecked(meta[state * META + 3]) & mask;
      while (unchecked(table[slot]) != 0) slot = (slot + 1) & mask;
      unchecked((table[slot] = state + 1));
    }
    this.table = table;
  }

  private flush(): void {
    flushes++;
    this.epoch++;
    this.count = 0;
    this.poolUsed = 0;
    memory.fill(changetype<usize>(this.table), 0, usize(this.table.length) << 2);
    this.addDead();
  }

  // State 0: no instructions, and every transition back to itself.
  private addDead(): void {
    this.add(0, 0, 0, 0, this.table.length - 1);
    this.table[this.table.length - 1] = 0;
    for (let k = 0; k < this.stride; k++) this.trans[k] = (DEAD << 2) | 2;
  }
}
