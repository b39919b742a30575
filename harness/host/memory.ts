// Guest linear memory as the host sees it (reference abi.md 1 and 5.1): bounds-checked reads,
// little-endian writes into return slots, and the allocator protocol for returned data.

import { Status } from "../abi/types.js";
import { copyOf } from "./copy-pool.js";
import { utf8Text } from "./header-text.js";

/** Thrown by a host function to answer InvalidMemoryAccess, as Envoy does for bad pointers. */
export class MemoryAccessError extends Error {}

/** The allocator export the host calls to place returned data in guest memory. */
export type GuestAllocator = (size: number) => number;

/** Reads and writes one instance's exported memory; re-reads `memory.buffer` after every growth. */
export class GuestMemory {
  // Views of the current buffer. Growth detaches the buffer, which makes `bytes` empty: that is
  // cheaper to test on every access than reading `memory.buffer`.
  private bytes = new Uint8Array(0);
  private data = new DataView(this.bytes.buffer);

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly allocate: GuestAllocator,
  ) {}

  /** The memory's current size in bytes. */
  get byteLength(): number {
    return this.current().byteLength;
  }

  // The views, refreshed when memory grew since the last access.
  private current(): Uint8Array {
    if (this.bytes.byteLength === 0) {
      this.bytes = new Uint8Array(this.memory.buffer);
      this.data = new DataView(this.memory.buffer);
    }
    return this.bytes;
  }

  private check(ptr: number, size: number): void {
    if (ptr < 0 || size < 0 || ptr + size > this.current().length) {
      throw new MemoryAccessError(`guest range [${ptr}, ${ptr + size}) is outside memory`);
    }
  }

  /** Copies `size` bytes at `ptr` out of guest memory (the copy may share its `.buffer`, see copy-pool.ts). */
  read(ptr: number, size: number): Uint8Array {
    ptr >>>= 0;
    size >>>= 0;
    return copyOf(this.checked(ptr, size), ptr, size);
  }

  /**
   * All of guest memory, once `[ptr, ptr+size)` is checked to lie in it: for reading that range in
   * place, without a view object per read. Read before the guest runs again (memory may grow).
   */
  checked(ptr: number, size: number): Uint8Array {
    this.check(ptr >>> 0, size >>> 0);
    return this.bytes;
  }

  /** The `size` bytes at `ptr` without a copy: read them before the guest runs again (memory may grow). */
  view(ptr: number, size: number): Uint8Array {
    ptr >>>= 0;
    return this.checked(ptr, size).subarray(ptr, ptr + (size >>> 0));
  }

  /** Decodes `size` bytes at `ptr` as UTF-8 (invalid sequences become U+FFFD). */
  readString(ptr: number, size: number): string {
    return utf8Text(this.view(ptr, size));
  }

  /** Writes a u32 (little-endian) at `ptr`. */
  writeU32(ptr: number, value: number): void {
    ptr >>>= 0;
    this.check(ptr, 4);
    this.data.setUint32(ptr, value >>> 0, true);
  }

  /** Writes a u64 (little-endian, modulo 2^64) at `ptr`. */
  writeU64(ptr: number, value: bigint): void {
    ptr >>>= 0;
    this.check(ptr, 8);
    this.data.setBigUint64(ptr, value, true);
  }

  /** Writes `data` into guest memory at `ptr`. */
  write(ptr: number, data: Uint8Array): void {
    ptr >>>= 0;
    this.check(ptr, data.length);
    this.bytes.set(data, ptr);
  }

  /**
   * Like returnBytes for data of `size` bytes that `write` puts straight into guest memory (at the
   * offset it is given in the view it is given), sparing a buffer and a copy.
   */
  returnWritten(
    ptrSlot: number,
    sizeSlot: number,
    size: number,
    write: (memory: Uint8Array, at: number) => void,
  ): Status {
    if (size === 0) return this.returnBytes(ptrSlot, sizeSlot, new Uint8Array());
    const ptr = this.allocate(size) >>> 0;
    if (ptr === 0) return Status.InvalidMemoryAccess;
    this.check(ptr, size);
    write(this.bytes, ptr);
    this.writeU32(ptrSlot, ptr);
    this.writeU32(sizeSlot, size);
    return Status.Ok;
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
