// A provider's verification keys. Keys come from text in any form Envoy's local_jwks accepts: a
// JWKS, PEM public keys or certificates, or Google's {kid: certificate} map. A KeySet is immutable
// and a provider swaps in a whole new one when its keys change, so a set loaded later from another
// source (a fetched JWKS) replaces the old one between requests without any request seeing a mix.

import { Jwk, JsonKind, JsonReader, KeyType, RsaVerifier, parseJsonString, readJwk } from "../../assembly";
import { looksLikePem, parsePem } from "./pem";

// RFC 7518 section 3.2: an HMAC key at least as long as the smallest hash output (HS256).
const MIN_HMAC_KEY_BYTES = 32;

// Members that only a private or secret JWK has; a verifier's configuration must never hold them
// (a leaked private key), and Wycheproof's json_web_key tests expect such sets to be refused.
// prettier-ignore
@lazy const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/** One key ready for verification: the JWK, and for RSA the verifier built from it once. */
export class VerifyKey {
  constructor(
    /** The parsed key (kid, alg, kty and the public numbers). */
    public jwk: Jwk,
    /** The prepared RSA key when kty is RSA, else null. */
    public rsa: RsaVerifier | null,
  ) {}
}

/** An immutable set of verification keys. */
export class KeySet {
  constructor(
    /** The keys, in source order; at least one. */
    public keys: Array<VerifyKey>,
  ) {}
}

/** A key set, or why the key text was refused. */
export class KeySetResult {
  constructor(
    /** The keys, or null when `error` is set. */
    public keys: KeySet | null,
    /** "" on success; otherwise the problem, naming the key. */
    public error: string,
  ) {}
}

/** Loads keys from a JWKS, PEM text, or a {kid: PEM certificate} map. */
export function loadKeys(text: string): KeySetResult {
  if (looksLikePem(text)) {
    const pem = parsePem(text);
    if (pem.error.length > 0) return new KeySetResult(null, pem.error);
    return collect(pem.keys);
  }
  const parsed = parseJsonString(text);
  const value = parsed.value;
  if (value == null) {
    return new KeySetResult(
      null,
      "not a JWKS, PEM or certificate map: invalid JSON at byte " + parsed.offset.toString() + ": " + parsed.error,
    );
  }
  if (value.kind != JsonKind.Object) return new KeySetResult(null, "a JWKS must be a JSON object");
  return value.get("keys") != null ? readJwks(JsonReader.root(value)) : readCertificateMap(JsonReader.root(value));
}

function readJwks(root: JsonReader): KeySetResult {
  const elements = root.field("keys").elements();
  const keys = new Array<Jwk>();
  const kids = new Set<string>();
  for (let i = 0; i < elements.length && root.ok; i++) {
    const element = elements[i];
    if (!element.expectObject()) break;
    for (let j = 0; j < PRIVATE_MEMBERS.length; j++) {
      if (element.value.get(PRIVATE_MEMBERS[j]) != null)
        element.field(PRIVATE_MEMBERS[j]).fail("private key material must not be configured");
    }
    const key = root.ok ? readJwk(element) : null;
    if (key == null) break;
    const kid = key.kid;
    if (kid != null) {
      // RFC 7517 section 4.5: a repeated kid makes key selection ambiguous.
      if (kids.has(kid)) element.field("kid").fail("repeats an earlier key's kid");
      kids.add(kid);
    }
    if (usableForSignatures(key)) keys.push(key);
  }
  if (!root.ok) return new KeySetResult(null, root.error);
  return collect(keys);
}

// RFC 7517 sections 4.2 and 4.3: an encryption key, or one whose key_ops exclude "verify", is not
// a signature key; jwt_verify_lib ignores use, we skip such keys rather than try them.
function usableForSignatures(key: Jwk): bool {
  const use = key.use;
  if (use != null && use != "sig") return false;
  const ops = key.keyOps;
  return ops == null || ops.includes("verify");
}

function readCertificateMap(root: JsonReader): KeySetResult {
  const keys = new Array<Jwk>();
  const names = root.value.keys;
  for (let i = 0; i < names.length; i++) {
    const member = root.field(names[i]);
    const text = member.string("must be a PEM certificate string (a {kid: certificate} map)");
    if (!root.ok) return new KeySetResult(null, root.error);
    const pem = parsePem(text);
    if (pem.error.length > 0 || pem.keys.length != 1) {
      member.fail(pem.error.length > 0 ? pem.error : "must hold exactly one certificate");
      return new KeySetResult(null, root.error);
    }
    const key = pem.keys[0];
    key.kid = names[i];
    keys.push(key);
  }
  return collect(keys);
}

function collect(jwks: Array<Jwk>): KeySetResult {
  const keys = new Array<VerifyKey>();
  for (let i = 0; i < jwks.length; i++) {
    const jwk = jwks[i];
    const label = "key " + i.toString() + (jwk.kid != null ? ' (kid "' + jwk.kid! + '")' : "");
    let rsa: RsaVerifier | null = null;
    if (jwk.kty == KeyType.Rsa) {
      rsa = RsaVerifier.create(jwk.rsa!.n, jwk.rsa!.e);
      if (rsa == null)
        return new KeySetResult(null, label + ": RSA keys need 2048 to 8192 bits and an odd exponent of at least 3");
    } else if (jwk.kty == KeyType.Oct && jwk.oct!.k.length < MIN_HMAC_KEY_BYTES) {
      return new KeySetResult(null, label + ": HMAC keys need at least " + MIN_HMAC_KEY_BYTES.toString() + " bytes");
    }
    keys.push(new VerifyKey(jwk, rsa));
  }
  // jwt_verify_lib's JwksNoValidKeys: a provider without a key could never accept a token.
  if (keys.length == 0) return new KeySetResult(null, "Jwks doesn't have any valid public key");
  return new KeySetResult(new KeySet(keys), "");
}
