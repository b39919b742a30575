// Test entry: parses a JWK or JWK Set and describes the result as one line of text, e.g.
// `kty=EC kid=a alg=- use=sig key_ops=- crv=P-256 x=<hex> y=<hex>` or `error: <message>`.

import { EcCurve, Jwk, KeyType, parseJwk, parseJwks } from "../../../assembly/crypto/jwk";

function hex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += (<u32>bytes[i]).toString(16).padStart(2, "0");
  return out;
}

function text(value: string | null): string {
  return value == null ? "-" : value;
}

function describe(key: Jwk): string {
  const ops = key.keyOps;
  let out =
    "kty=" +
    ["RSA", "EC", "OKP", "oct"][key.kty] +
    " kid=" +
    text(key.kid) +
    " alg=" +
    text(key.alg) +
    " use=" +
    text(key.use) +
    " key_ops=" +
    (ops == null ? "-" : ops.join(","));
  const rsa = key.rsa;
  const ec = key.ec;
  const okp = key.okp;
  const oct = key.oct;
  if (key.kty == KeyType.Rsa && rsa != null) out += " n=" + hex(rsa.n) + " e=" + hex(rsa.e);
  if (key.kty == KeyType.Ec && ec != null) {
    const crv = ec.curve == EcCurve.P256 ? "P-256" : ec.curve == EcCurve.P384 ? "P-384" : "P-521";
    out += " crv=" + crv + " x=" + hex(ec.x) + " y=" + hex(ec.y);
  }
  if (key.kty == KeyType.Okp && okp != null) out += " crv=Ed25519 x=" + hex(okp.x);
  if (key.kty == KeyType.Oct && oct != null) out += " k=" + hex(oct.k);
  return out;
}

export function describeJwk(json: Uint8Array): string {
  const result = parseJwk(json.slice().buffer);
  const key = result.key;
  return key == null ? "error: " + result.error : describe(key);
}

export function describeJwks(json: Uint8Array): string {
  const result = parseJwks(json.slice().buffer);
  if (result.error.length > 0) return "error: " + result.error;
  const lines = new Array<string>();
  for (let i = 0; i < result.keys.length; i++) lines.push(describe(result.keys[i]));
  return lines.join("\n");
}
