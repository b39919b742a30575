// Envoy's own DNS import (reference abi.md 3.10): envoy_resolve_dns writes a token and starts an
// asynchronous resolution; the answer reaches the caller's root as
// envoy_on_resolve_dns(root, token, size) with the call-data buffer (8) holding a u32 count N,
// N u32 TTLs in seconds, then N NUL-terminated addresses (size 0 when the resolution failed).
// A test answers each query through DnsQuery.

import { BufferType, Status } from "../abi/types.js";
import { type HostFunction, rootOf, type RootState, type WasmVm } from "./vm.js";

/** One address of a DNS answer: an IP (Envoy adds port 0, as its resolver reports it) and a TTL in seconds. */
export interface DnsAnswer {
  address: string;
  ttl: number;
}

// Envoy hands the guest each address as Address::Instance::asString(): "ip:port", IPv6 in brackets.
function addressString(address: string): string {
  return address.includes(":") ? `[${address}]:0` : `${address}:0`;
}

/** The call-data bytes Envoy builds for a resolution (Context::onResolveDns). */
export function encodeDnsAnswers(answers: readonly DnsAnswer[]): Uint8Array {
  const addresses = answers.map((a) => new TextEncoder().encode(addressString(a.address)));
  const size = 4 + answers.length * 4 + addresses.reduce((n, a) => n + a.length + 1, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, answers.length, true);
  answers.forEach((a, i) => view.setUint32(4 + i * 4, a.ttl >>> 0, true));
  let offset = 4 + answers.length * 4;
  for (const address of addresses) {
    out.set(address, offset);
    offset += address.length + 1;
  }
  return out;
}

/** A resolution the guest started; answer it (or fail it) to call envoy_on_resolve_dns on its root. */
export class DnsQuery {
  constructor(
    private readonly vm: WasmVm,
    private readonly root: RootState,
    /** The token envoy_resolve_dns wrote for the guest. */
    readonly token: number,
    /** The name the guest asked for, as it passed it. */
    readonly address: string,
  ) {}

  /** The id of the root context the answer goes to. */
  get rootId(): number {
    return this.root.id;
  }

  /** Completes the resolution with `answers`; false when the guest could not be called (VM or root gone). */
  answer(answers: readonly DnsAnswer[]): boolean {
    return this.deliver(encodeDnsAnswers(answers));
  }

  /** Fails the resolution: the guest sees data size 0 and an empty call-data buffer. */
  fail(): boolean {
    return this.deliver(new Uint8Array());
  }

  private deliver(data: Uint8Array): boolean {
    this.vm.dnsQueries.delete(this.token);
    return this.vm.deliverToRoot(this.root, "envoy_on_resolve_dns", [this.root.id, this.token, data.length], {
      buffers: { [BufferType.CallData]: data },
    });
  }
}

export const dnsCalls: Record<string, HostFunction> = {
  // The query belongs to the root of the calling (or effective) context; the token is written
  // before the resolution starts, so a bad slot fails the call without starting one.
  envoy_resolve_dns(vm, addressPtr, addressSize, tokenPtr) {
    const address = vm.memory.readString(Number(addressPtr), Number(addressSize));
    const context = vm.context!;
    const token = vm.newDnsToken();
    vm.memory.writeU32(Number(tokenPtr), token);
    vm.dnsQueries.set(token, new DnsQuery(vm, rootOf(context), token, address));
    return Status.Ok;
  },
};
