// Ed25519 signature verification (RFC 8032 5.1.7; JWS "EdDSA" with crv "Ed25519", RFC 8037).
// It uses the cofactorless equation: the signature is valid when the encoding of [s]B - [k]A is
// byte-for-byte R, with k = SHA-512(R || A || M) mod L. Comparing encodings also rejects a
// non-canonical R (y >= p, or x = 0 with the sign bit set), since ours is always canonical. This is
// the check Wycheproof's ed25519 vectors expect. Verification handles public data only, so it is
// variable-time.

import { sha512 } from "../sha2";
import {
  CachedPoint,
  Point,
  completedToExtended,
  completedToProjective,
  pointAdd,
  pointDecode,
  pointDouble,
  pointEncode,
  pointNegate,
  pointSetIdentity,
  pointToCached,
} from "./point";
import { scalarIsCanonical, scalarReduce, scalarSlide } from "./scalar";

// Window limits: the key's odd multiples up to 15A are built per call, the base point's up to
// 63B once per module.
const KEY_LIMIT = 15;
const BASE_LIMIT = 63;

// The RFC 8032 encoding of the base point B (y = 4/5, x even).
// prettier-ignore
@lazy const BASE_ENCODING: StaticArray<u8> = [
  0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
];

// prettier-ignore
@lazy const completed = new Point(),
  extended = new Point(),
  twice = new Point(),
  result = new Point(),
  key = new Point(),
  keyDigits = new StaticArray<i8>(256),
  baseDigits = new StaticArray<i8>(256),
  keyMultiples = cachedTable(KEY_LIMIT),
  encoded = new Uint8Array(32),
  k = new Uint8Array(32);

// prettier-ignore
@lazy let baseMultiples: StaticArray<CachedPoint> | null = null;

function cachedTable(limit: i32): StaticArray<CachedPoint> {
  const table = new StaticArray<CachedPoint>((limit + 1) >> 1);
  for (let i = 0; i < table.length; i++) table[i] = new CachedPoint();
  return table;
}

// Fills table[i] with (2i + 1) p.
function fillOddMultiples(table: StaticArray<CachedPoint>, p: Point): void {
  pointToCached(table[0], p);
  pointDouble(completed, p);
  completedToExtended(twice, completed);
  for (let i = 1; i < table.length; i++) {
    pointAdd(completed, twice, table[i - 1], false);
    completedToExtended(extended, completed);
    pointToCached(table[i], extended);
  }
}

function baseTable(): StaticArray<CachedPoint> {
  let table = baseMultiples;
  if (table) return table;
  const base = new Point();
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++) bytes[i] = BASE_ENCODING[i];
  pointDecode(base, bytes, 0);
  table = cachedTable(BASE_LIMIT);
  fillOddMultiples(table, base);
  baseMultiples = table;
  return table;
}

// Sets `result` to [k]P + [s]B, reading s from signature[32..64]; both scalars are below L.
function doubleScalarMultiply(p: Point, signature: Uint8Array): void {
  scalarSlide(keyDigits, k, 0, KEY_LIMIT);
  scalarSlide(baseDigits, signature, 32, BASE_LIMIT);
  fillOddMultiples(keyMultiples, p);
  const base = baseTable();
  pointSetIdentity(result);
  let i = 255;
  while (i >= 0 && unchecked(keyDigits[i]) == 0 && unchecked(baseDigits[i]) == 0) i--;
  for (; i >= 0; i--) {
    pointDouble(completed, result);
    const a = <i32>unchecked(keyDigits[i]);
    if (a != 0) {
      completedToExtended(extended, completed);
      pointAdd(completed, extended, unchecked(keyMultiples[(a < 0 ? -a : a) >> 1]), a < 0);
    }
    const b = <i32>unchecked(baseDigits[i]);
    if (b != 0) {
      completedToExtended(extended, completed);
      pointAdd(completed, extended, unchecked(base[(b < 0 ? -b : b) >> 1]), b < 0);
    }
    completedToProjective(result, completed);
  }
}

/**
 * Verifies an Ed25519 signature (RFC 8032) by a 32-byte public key over `message`; false for a
 * wrong signature and for any malformed input: a key or signature of the wrong length, s >= L,
 * or a key or R that is not the canonical encoding of a curve point.
 */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): bool {
  if (publicKey.length != 32 || signature.length != 64) return false;
  if (!scalarIsCanonical(signature, 32)) return false;
  if (!pointDecode(key, publicKey, 0)) return false;
  const input = new Uint8Array(64 + message.length);
  input.set(signature.subarray(0, 32), 0);
  input.set(publicKey, 32);
  input.set(message, 64);
  scalarReduce(k, sha512(input));
  pointNegate(key);
  doubleScalarMultiply(key, signature);
  pointEncode(encoded, 0, result);
  for (let i = 0; i < 32; i++) if (encoded[i] != signature[i]) return false;
  return true;
}
