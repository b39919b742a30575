// Guest linear memory as the host sees it (reference abi.md 1 and 5.1): bounds-checked reads,
// little-endian writes into return slots, and the allocator protocol for returned data.

import { Status } from "../abi/types.js";

const decoder = new TextDecoder();

/** Thrown by a host function to answer InvalidMemoryAccess, as Envoy does for bad pointers. */
export class MemoryAccessError extends Error {}

/** The allocator export the host calls to place returned data in guest memory. */
export type GuestAllocator = (size: number) => number;

/** Reads and writes one instance's exported memory; re-reads `memory.buffer` after every growth. */
export class GuestMemory {
  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly allocate: GuestAllocator,
  ) {}

  private check(ptr: number, size: number): void {
    if (ptr < 0 || size < 0 || ptr + size > this.memory.buffer.byteLength) {
      throw new MemoryAccessError(`guest range [${ptr}, ${ptr + size}) is outside memory`);
    }
  }

  /** Copies `size` bytes at `ptr` out of guest memory. */
  read(ptr: number, size: number): Uint8Array {
    ptr >>>= 0;
    size >>>= 0;
    this.check(ptr, size);
    return new Uint8Array(this.memory.buffer, ptr, size).slice();
  }

  /** The `size` bytes at `ptr` without a copy: read them before the guest runs again (memory may grow). */
  view(ptr: number, size: number): Uint8Array {
    ptr >>>= 0;
    size >>>= 0;
    this.check(ptr, size);
    return new Uint8Array(this.memory.buffer, ptr, size);
  }

  /** Decodes `size` bytes at `ptr` as UTF-8 (invalid sequences become U+FFFD). */
  readString(ptr: number, size: number): string {
    ptr >>>= 0;
    size >>>= 0;
    this.check(ptr, size);
    return decoder.decode(new Uint8Array(this.memory.buffer, ptr, size));
  }

  /** Writes a u32 (little-endian) at `ptr`. */
  writeU32(ptr: number, value: number): void {
    ptr >>>= 0;
    this.check(ptr, 4);
    new DataView(this.memory.buffer).setUint32(ptr, value >>> 0, true);
  }

  /** Writes a u64 (little-endian) at `ptr`. */
  writeU64(ptr: number, value: bigint): void {
    ptr >>>= 0;
    this.check(ptr, 8);
    new DataView(this.memory.buffer).setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }

  /** Writes `data` into guest memory at `ptr`. */
  write(ptr: number, data: Uint8Array): void {
    ptr >>>= 0;
    this.check(ptr, data.length);
    new Uint8Array(this.memory.buffer, ptr, data.length).set(data);
  }

  /**
   * Hands `data` to the guest through its allocator and writes (ptr, size) to the two slots.
   * Empty data writes (0, 0) without allocating, as Envoy does.
   */
  returnBytes(ptrSlot: number, sizeSlot: number, data: Uint8Array): Status {
    if (data.length === 0) {
      this.writeU32(ptrSlot, 0);
      this.writeU32(sizeSlot, 0);
      return Status.Ok;
    }
    const ptr = this.allocate(data.length) >>> 0;
    if (ptr === 0) return Status.InvalidMemoryAccess;
    this.write(ptr, data);
    this.writeU32(ptrSlot, ptr);
    this.writeU32(sizeSlot, data.length);
    return Status.Ok;
  }
}
