// Signature verification with jwt_verify_lib's key selection (src/verify.cc): a key is tried only
// when its kid (if both sides have one) and alg (if the key has one) match the token, and only
// keys of the family the token's alg needs. The family rule is what defeats RS/HS key confusion:
// an HS256 token is never checked against an RSA or EC key's bytes. Header members naming other
// keys (jwk, jku, x5u, x5c) are never read.

import { EcCurve, EcdsaCurve, HashAlgorithm, KeyType, verifyEcdsa, verifyEd25519, verifyHmac } from "../../assembly";
import { Alg, Jwt, algName } from "./jwt";
import { KeySet, VerifyKey } from "./keys";
import { Status } from "./status";

/** Checks the token's signature with the keys that fit it: Ok, JwtVerificationFail, or JwksKidAlgMismatch when none fit. */
export function verifySignature(jwt: Jwt, keys: KeySet): Status {
  // jwt_verify_lib checks the Ed25519 length up front and reports it on its own.
  if (jwt.alg == Alg.EdDSA && jwt.signature.length != 64) return Status.JwtEd25519SignatureWrongLength;
  const name = algName(jwt.alg);
  let tried = false;
  for (let i = 0; i < keys.keys.length; i++) {
    const key = keys.keys[i];
    const jwk = key.jwk;
    const kid = jwt.kid;
    if (kid != null && jwk.kid != null && jwk.kid! != kid) continue;
    if (jwk.alg != null && jwk.alg! != name && !(jwt.alg == Alg.EdDSA && jwk.alg! == "Ed25519")) continue;
    if (!fits(jwt.alg, key)) continue;
    tried = true;
    if (verifyWith(jwt, key)) return Status.Ok;
  }
  return tried ? Status.JwtVerificationFail : Status.JwksKidAlgMismatch;
}

// Whether `key` is of the family (and, for EC, the curve) that `alg` needs.
function fits(alg: Alg, key: VerifyKey): bool {
  const kty = key.jwk.kty;
  if (alg <= Alg.PS512) return kty == KeyType.Rsa;
  if (alg <= Alg.ES512) {
    if (kty != KeyType.Ec) return false;
    const curve = key.jwk.ec!.curve;
    return alg == Alg.ES256 ? curve == EcCurve.P256 : alg == Alg.ES384 ? curve == EcCurve.P384 : curve == EcCurve.P521;
  }
  if (alg <= Alg.HS512) return kty == KeyType.Oct;
  return kty == KeyType.Okp;
}

function hashOf(alg: Alg): HashAlgorithm {
  const index = <i32>alg % 3;
  return index == 0 ? HashAlgorithm.Sha256 : index == 1 ? HashAlgorithm.Sha384 : HashAlgorithm.Sha512;
}

function verifyWith(jwt: Jwt, key: VerifyKey): bool {
  const message = jwt.signingInput;
  const signature = jwt.signature;
  const alg = jwt.alg;
  if (alg <= Alg.RS512) return key.rsa!.verifyPkcs1(hashOf(alg), message, signature);
  if (alg <= Alg.PS512) return key.rsa!.verifyPss(hashOf(alg), message, signature);
  if (alg <= Alg.ES512) {
    // The signature must be exactly r || s of the curve's size (RFC 7518 section 3.4); Envoy splits
    // any length in half, verifyEcdsa refuses every other length.
    const ec = key.jwk.ec!;
    const curve = alg == Alg.ES256 ? EcdsaCurve.P256 : alg == Alg.ES384 ? EcdsaCurve.P384 : EcdsaCurve.P521;
    return verifyEcdsa(curve, ec.x, ec.y, message, signature);
  }
  if (alg <= Alg.HS512) return verifyHmac(hashOf(alg), key.jwk.oct!.k, message, signature);
  return verifyEd25519(key.jwk.okp!.x, message, signature);
}
