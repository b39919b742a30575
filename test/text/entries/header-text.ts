// Test entry: how the SDK decodes header text the host hands over (through a cache of recent
// strings) and shares header entries, through plain functions.

import { decodeRecentText, decodeText } from "../../../assembly/abi/text";
import { Header } from "../../../assembly/header";

/** The text of `bytes` as a header map decodes it (through the cache of recent text). */
export function decodeHeaderText(bytes: Uint8Array): string {
  return decodeRecentText(bytes.dataStart, <usize>bytes.length);
}

/** The text of `bytes` as a fresh decoding gives it (no cache). */
export function decodeFresh(bytes: Uint8Array): string {
  return decodeText(bytes.dataStart, <usize>bytes.length);
}

/** Whether decoding `bytes` twice in a row through the cache gives one string object. */
export function decodesToOneObject(bytes: Uint8Array): bool {
  const first = decodeRecentText(bytes.dataStart, <usize>bytes.length);
  const second = decodeRecentText(bytes.dataStart, <usize>bytes.length);
  return changetype<usize>(first) == changetype<usize>(second);
}

/**
 * Whether Header.shared gives one object for the very same strings, a new one for an equal but
 * distinct value string, and entries holding what they were given.
 */
export function sharesEntries(name: string, value: string): bool {
  const first = Header.shared(name, value);
  const again = Header.shared(name, value);
  const copy = value.slice(0);
  const other = Header.shared(name, copy);
  if (changetype<usize>(copy) == changetype<usize>(value)) return false;
  return first === again && other !== first && other.name == name && other.value == value && first.value == value;
}
