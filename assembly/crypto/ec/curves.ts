// The NIST prime curves JWS uses (FIPS 186-4 D.1.2; all have a = -3 and cofactor 1), built on
// first use so that a module verifying only ES256 never pays for P-384 or P-521 set-up. Constants
// are p, n, b, Gx, Gy as little-endian 32-bit words; b, Gx and Gy are copied into the field's limbs.

import { HashAlgorithm } from "../sha2";
import { Field, Limbs, Modulus } from "./field";

/** The curves of the JWS algorithms ES256, ES384 and ES512. */
export enum Curve {
  P256,
  P384,
  P521,
}

/** One curve's fields and constants (in Montgomery form over `field`), built once and never freed. */
@unmanaged
export class CurveParams {
  /** The base field, modulo p. */
  readonly field: Field;
  /** The scalar field, modulo the group order n. */
  readonly order: Field;
  /** The coefficient b, in Montgomery form. */
  readonly b: Limbs;
  /** The generator's affine x, in Montgomery form. */
  readonly gx: Limbs;
  /** The generator's affine y, in Montgomery form. */
  readonly gy: Limbs;
  /** Bytes in one coordinate or scalar (and half a P1363 signature). */
  readonly bytes: i32;
  /** Bit length of n, to which the message hash is truncated. */
  readonly orderBits: i32;
  /** The hash the JWS algorithm pairs with this curve. */
  readonly hash: HashAlgorithm;

  constructor(p: Limbs, n: Limbs, b: Limbs, gx: Limbs, gy: Limbs, bits: i32, hash: HashAlgorithm) {
    const words = (bits + 31) >> 5;
    const p256 = bits == 256;
    const field = new Field(p, words, p256 ? Modulus.P256 : Modulus.Generic);
    this.field = field;
    this.order = new Field(n, words, p256 ? Modulus.P256Order : Modulus.Generic);
    this.bytes = (bits + 7) >> 3;
    this.orderBits = bits;
    this.hash = hash;
    this.b = encoded(field, b, words);
    this.gx = encoded(field, gx, words);
    this.gy = encoded(field, gy, words);
  }
}

// A new element of `field` holding the `words` 32-bit words at `from`, in Montgomery form.
function encoded(field: Field, from: usize, words: i32): Limbs {
  const element = field.element();
  field.fromWords(element, from, words);
  field.encode(element, element);
  return element;
}

let p256: CurveParams | null = null;
let p384: CurveParams | null = null;
let p521: CurveParams | null = null;

/** The parameters of `curve`, built on first use. */
export function curveParams(curve: Curve): CurveParams {
  if (curve == Curve.P256) {
    let c = p256;
    if (!c) {
      c = new CurveParams(
        memory.data<u32>([
          0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff,
        ]),
        memory.data<u32>([
          0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff,
        ]),
        memory.data<u32>([
          0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0, 0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8,
        ]),
        memory.data<u32>([
          0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247, 0x6b17d1f2,
        ]),
        memory.data<u32>([
          0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b, 0x4fe342e2,
        ]),
        256,
        HashAlgorithm.Sha256,
      );
      p256 = c;
    }
    return c;
  }
  if (curve == Curve.P384) {
    let c = p384;
    if (!c) {
      c = new CurveParams(
        memory.data<u32>([
          0xffffffff, 0x00000000, 0x00000000, 0xffffffff, 0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
          0xffffffff, 0xffffffff, 0xffffffff,
        ]),
        memory.data<u32>([
          0xccc52973, 0xecec196a, 0x48b0a77a, 0x581a0db2, 0xf4372ddf, 0xc7634d81, 0xffffffff, 0xffffffff, 0xffffffff,
          0xffffffff, 0xffffffff, 0xffffffff,
        ]),
        memory.data<u32>([
          0xd3ec2aef, 0x2a85c8ed, 0x8a2ed19d, 0xc656398d, 0x5013875a, 0x0314088f, 0xfe814112, 0x181d9c6e, 0xe3f82d19,
          0x988e056b, 0xe23ee7e4, 0xb3312fa7,
        ]),
        memory.data<u32>([
          0x72760ab7, 0x3a545e38, 0xbf55296c, 0x5502f25d, 0x82542a38, 0x59f741e0, 0x8ba79b98, 0x6e1d3b62, 0xf320ad74,
          0x8eb1c71e, 0xbe8b0537, 0xaa87ca22,
        ]),
        memory.data<u32>([
          0x90ea0e5f, 0x7a431d7c, 0x1d7e819d, 0x0a60b1ce, 0xb5f0b8c0, 0xe9da3113, 0x289a147c, 0xf8f41dbd, 0x9292dc29,
          0x5d9e98bf, 0x96262c6f, 0x3617de4a,
        ]),
        384,
        HashAlgorithm.Sha384,
      );
      p384 = c;
    }
    return c;
  }
  let c = p521;
  if (!c) {
    c = new CurveParams(
      memory.data<u32>([
        0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
        0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x000001ff,
      ]),
      memory.data<u32>([
        0x91386409, 0xbb6fb71e, 0x899c47ae, 0x3bb5c9b8, 0xf709a5d0, 0x7fcc0148, 0xbf2f966b, 0x51868783, 0xfffffffa,
        0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x000001ff,
      ]),
      memory.data<u32>([
        0x6b503f00, 0xef451fd4, 0x3d2c34f1, 0x3573df88, 0x3bb1bf07, 0x1652c0bd, 0xec7e937b, 0x56193951, 0x8ef109e1,
        0xb8b48991, 0x99b315f3, 0xa2da725b, 0xb68540ee, 0x929a21a0, 0x8e1c9a1f, 0x953eb961, 0x00000051,
      ]),
      memory.data<u32>([
        0xc2e5bd66, 0xf97e7e31, 0x856a429b, 0x3348b3c1, 0xa2ffa8de, 0xfe1dc127, 0xefe75928, 0xa14b5e77, 0x6b4d3dba,
        0xf828af60, 0x053fb521, 0x9c648139, 0x2395b442, 0x9e3ecb66, 0x0404e9cd, 0x858e06b7, 0x000000c6,
      ]),
      memory.data<u32>([
        0x9fd16650, 0x88be9476, 0xa272c240, 0x353c7086, 0x3fad0761, 0xc550b901, 0x5ef42640, 0x97ee7299, 0x273e662c,
        0x17afbd17, 0x579b4468, 0x98f54449, 0x2c7d1bd9, 0x5c8a5fb4, 0x9a3bc004, 0x39296a78, 0x00000118,
      ]),
      521,
      HashAlgorithm.Sha512,
    );
    p521 = c;
  }
  return c;
}
