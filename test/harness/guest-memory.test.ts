// GuestMemory keeps views of the guest's buffer between host calls; these check that they follow
// the memory when it grows (which detaches the old buffer) and that bounds are still enforced.

import { describe, expect, it } from "vitest";
import { GuestMemory, MemoryAccessError } from "../../harness/host/memory.js";

const PAGE = 65_536;

function guestMemory(pages = 1): { memory: WebAssembly.Memory; guest: GuestMemory } {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: 4 });
  let next = 16;
  const guest = new GuestMemory(memory, (size) => {
    const ptr = next;
    next += size;
    return ptr;
  });
  return { memory, guest };
}

describe("GuestMemory", () => {
  it("writes and reads past the first page once memory grew", () => {
    const { memory, guest } = guestMemory();
    guest.writeU32(8, 7);
    expect(() => guest.writeU32(PAGE + 8, 1)).toThrow(MemoryAccessError);
    expect(guest.byteLength).toBe(PAGE);
    memory.grow(1);
    expect(guest.byteLength).toBe(2 * PAGE);
    guest.writeU32(PAGE + 8, 0xdeadbeef);
    guest.writeU64(PAGE + 16, -1n);
    guest.write(PAGE + 32, new TextEncoder().encode("grown"));
    const view = new DataView(memory.buffer);
    expect(view.getUint32(8, true)).toBe(7);
    expect(view.getUint32(PAGE + 8, true)).toBe(0xdeadbeef);
    expect(view.getBigUint64(PAGE + 16, true)).toBe(2n ** 64n - 1n);
    expect(guest.readString(PAGE + 32, 5)).toBe("grown");
    expect([...guest.read(PAGE + 8, 4)]).toEqual([0xef, 0xbe, 0xad, 0xde]);
  });

  it("refuses ranges outside memory, and an empty range at its end is allowed", () => {
    const { guest } = guestMemory();
    expect(() => guest.view(PAGE - 2, 4)).toThrow(MemoryAccessError);
    expect(() => guest.writeU32(-4, 1)).toThrow(MemoryAccessError);
    expect(guest.view(PAGE, 0).length).toBe(0);
  });

  it("decodes short ASCII, long text and invalid UTF-8 as the decoder does", () => {
    const { memory, guest } = guestMemory();
    const bytes = new Uint8Array(memory.buffer);
    const long = "x".repeat(100) + "é";
    const encoded = new TextEncoder().encode(long);
    bytes.set(encoded, 1000);
    bytes.set([0x68, 0x69, 0xff], 2000);
    bytes.set(new TextEncoder().encode("request\0path"), 3000);
    expect(guest.readString(1000, encoded.length)).toBe(long);
    expect(guest.readString(2000, 3)).toBe("hi\ufffd");
    expect(guest.readString(3000, 12)).toBe("request\0path");
  });

  it("writes returned data straight into memory the allocator just grew", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const guest = new GuestMemory(memory, () => {
      memory.grow(1);
      return PAGE + 64;
    });
    guest.writeU32(0, 1);
    const status = guest.returnWritten(0, 4, 3, (bytes, at) => bytes.set([7, 8, 9], at));
    expect(status).toBe(0);
    const view = new DataView(memory.buffer);
    expect(view.getUint32(0, true)).toBe(PAGE + 64);
    expect(view.getUint32(4, true)).toBe(3);
    expect([...new Uint8Array(memory.buffer, PAGE + 64, 3)]).toEqual([7, 8, 9]);
  });

  it("hands returned bytes to the guest's allocator and writes the slots", () => {
    const { memory, guest } = guestMemory();
    guest.returnBytes(0, 4, new Uint8Array([1, 2, 3]));
    const view = new DataView(memory.buffer);
    const ptr = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(3);
    expect([...new Uint8Array(memory.buffer, ptr, 3)]).toEqual([1, 2, 3]);
  });

  it("copies out bytes of every size that later guest writes and other copies leave alone", () => {
    const { memory, guest } = guestMemory();
    const bytes = new Uint8Array(memory.buffer);
    // On-heap, slab-carved (enough of them to fill several slabs), and too large for a slab.
    const sizes = [1, 64, 65, 300, 4096, 4097, 20_000, ...Array.from({ length: 60 }, (_, i) => 500 + i)];
    const copies = sizes.map((size, i) => {
      bytes.fill(i + 1, 100, 100 + size);
      const copy = guest.read(100, size);
      bytes.fill(0xee, 100, 100 + size);
      return copy;
    });
    copies.forEach((copy, i) => {
      expect(copy.length).toBe(sizes[i]);
      expect(copy.every((b) => b === i + 1)).toBe(true);
      expect(copy.buffer).not.toBe(memory.buffer);
    });
  });
});
