// The keys a curve's verifier saw last, with their tables: a JWKS holds a few keys, each signing
// token after token, so a key is checked once and prepared on its second use (multiply.ts). A new
// key takes the slot used longest ago.

import { Field } from "./field";
import { KeyTables } from "./multiply";

const SLOTS = 4;

// One cached key: its coordinates as given (x || y) and its tables.
@unmanaged
class KeySlot {
  readonly bytes: usize;
  readonly tables: KeyTables;
  known: bool = false;
  used: u32 = 0;

  constructor(coordinateBytes: i32, f: Field) {
    this.bytes = heap.alloc(<usize>(2 * coordinateBytes));
    this.tables = new KeyTables(f);
  }
}

/** The last keys of one curve and their tables (never freed). */
@unmanaged
export class KeyCache {
  private readonly slots: usize;
  private readonly coordinateBytes: i32;
  private clock: u32 = 0;

  constructor(f: Field, coordinateBytes: i32) {
    this.coordinateBytes = coordinateBytes;
    this.slots = heap.alloc(<usize>SLOTS * sizeof<usize>());
    for (let i = 0; i < SLOTS; i++) {
      store<usize>(this.slots + <usize>i * sizeof<usize>(), changetype<usize>(new KeySlot(coordinateBytes, f)));
    }
  }

  /** The tables of key (x, y), coordinates of the curve's size, when it is cached; else null. */
  find(x: Uint8Array, y: Uint8Array): KeyTables | null {
    const bytes = <usize>this.coordinateBytes;
    for (let i = 0; i < SLOTS; i++) {
      const slot = this.slotAt(i);
      if (!slot.known) continue;
      if (memory.compare(slot.bytes, x.dataStart, bytes) != 0) continue;
      if (memory.compare(slot.bytes + bytes, y.dataStart, bytes) != 0) continue;
      slot.used = ++this.clock;
      return slot.tables;
    }
    return null;
  }

  /** Gives the valid key (x, y) the slot used longest ago; the caller fills the returned tables. */
  claim(x: Uint8Array, y: Uint8Array): KeyTables {
    let oldest = this.slotAt(0);
    for (let i = 1; i < SLOTS && oldest.known; i++) {
      const slot = this.slotAt(i);
      if (!slot.known || slot.used < oldest.used) oldest = slot;
    }
    const bytes = <usize>this.coordinateBytes;
    memory.copy(oldest.bytes, x.dataStart, bytes);
    memory.copy(oldest.bytes + bytes, y.dataStart, bytes);
    oldest.known = true;
    oldest.used = ++this.clock;
    return oldest.tables;
  }

  private slotAt(i: i32): KeySlot {
    return changetype<KeySlot>(load<usize>(this.slots + <usize>i * sizeof<usize>()));
  }
}
