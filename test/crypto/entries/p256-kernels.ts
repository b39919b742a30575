// Test entry: exposes the generated P-256 kernels on little-endian u32 limbs: nine 29-bit limbs
// (36 bytes) modulo p, eight 32-bit words (32 bytes) modulo n. Ops: 0: a * b / 2^261 mod p,
// 1: a^2 / 2^261 mod p, 2: a + b mod p, 3: a - b mod p, 4: k * a mod p for k = b's low limb,
// 5: a * b / 2^256 mod n, 6: a^2 / 2^256 mod n.

import { p256Add, p256MultiplySmall, p256Subtract } from "../../../assembly/crypto/ec/p256-linear";
import { p256Multiply } from "../../../assembly/crypto/ec/p256-multiply";
import { p256OrderMultiply } from "../../../assembly/crypto/ec/p256-order-multiply";
import { p256OrderSquare } from "../../../assembly/crypto/ec/p256-order-square";
import { p256Square } from "../../../assembly/crypto/ec/p256-square";

export function apply(op: i32, a: Uint8Array, b: Uint8Array): Uint8Array {
  const size = op < 5 ? 36 : 32;
  const out = new Uint8Array(size);
  if (a.length != size || b.length != size) return out;
  const pa = a.dataStart;
  const pb = b.dataStart;
  const po = out.dataStart;
  if (op == 0) p256Multiply(po, pa, pb);
  else if (op == 1) p256Square(po, pa);
  else if (op == 2) p256Add(po, pa, pb);
  else if (op == 3) p256Subtract(po, pa, pb);
  else if (op == 4) p256MultiplySmall(po, pa, load<u32>(pb));
  else if (op == 5) p256OrderMultiply(po, pa, pb);
  else p256OrderSquare(po, pa);
  return out;
}
