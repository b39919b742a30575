// fast-check arbitraries for the jwt-authn differential: a valid token of one of the 13 algorithms
// (test/filters/jwt-authn/support.ts keys), then mutations of every part: header and payload JSON
// (duplicate members, wrong types, exp/nbf edges, alg/kid swaps, deep nesting), the signature
// (bit flips, truncation), and the encoding (padding, extra or oversized segments).

import fc from "fast-check";
import { ALGS, b64u, claims, NOW, signature } from "../filters/jwt-authn/support.js";

const KIDS: Record<string, string> = { R: "rsa", P: "rsa", E: "p256", H: "hmac" };

/** The kid of the test key that signs `alg`. */
export function kidFor(alg: string): string {
  if (alg === "ES384") return "p384";
  if (alg === "ES512") return "p521";
  return alg === "EdDSA" ? "ed25519" : KIDS[alg[0]!]!;
}

/** One generated token: what was signed, and how the result was altered. */
export interface TokenCase {
  signAlg: string;
  header: string;
  payload: string;
  signatureEdit: { kind: "none" | "flip" | "truncate" | "append" | "empty" | "other-alg"; at: number };
  encodingEdit: { kind: "none" | "pad" | "extra-segment" | "oversize" | "insert"; at: number; char: string };
}

// A JSON text of `object`, sometimes with a member repeated before (JSON.parse keeps the last) or
// after (the last wins) the original, or nested deeply.
const jsonText = (object: fc.Arbitrary<Record<string, unknown>>) =>
  fc
    .tuple(
      object,
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.tuple(
            fc.constantFrom("before", "after"),
            fc.string({ maxLength: 6 }),
            fc.jsonValue({ maxDepth: 1 }),
          ),
        },
        { weight: 1, arbitrary: fc.tuple(fc.constant("deep"), fc.constant(""), fc.integer({ min: 1, max: 100 })) },
      ),
    )
    .map(([value, edit]) => {
      const text = JSON.stringify(value);
      if (edit === null) return text;
      const [where, key, extra] = edit;
      const member = Object.keys(value)[0] ?? "alg";
      if (where === "deep")
        return `${text.slice(0, -1)}${text.length > 2 ? "," : ""}"n":${"[".repeat(extra as number)}${"]".repeat(extra as number)}}`;
      const name = key === "" ? member : key;
      const duplicate = `${JSON.stringify(name)}:${JSON.stringify(extra)}`;
      if (text === "{}") return `{${duplicate}}`;
      return where === "before" ? `{${duplicate},${text.slice(1)}` : `${text.slice(0, -1)},${duplicate}}`;
    });

const anyAlg = fc.oneof(
  fc.constantFrom(...ALGS),
  fc.constantFrom("none", "HS256 ", "rs256", "Ed25519", "ES256K", "RSA-OAEP", "PS", ""),
  fc.constantFrom(1, null, true, ["RS256"]),
);

const header = (signAlg: string) =>
  jsonText(
    fc.record(
      {
        alg: fc.oneof({ weight: 8, arbitrary: fc.constant(signAlg) }, { weight: 2, arbitrary: anyAlg }),
        kid: fc.oneof(
          { weight: 4, arbitrary: fc.constant(kidFor(signAlg)) },
          { weight: 2, arbitrary: fc.constantFrom("rsa", "p256", "p384", "p521", "ed25519", "hmac", "nope", "") },
          { weight: 1, arbitrary: fc.constantFrom(7, null, ["rsa"]) },
        ),
        typ: fc.constantFrom("JWT", "at+jwt", "application/jwt", "JOSE", 5),
        crit: fc.constantFrom(["exp"], ["b64"], [], "x"),
        b64: fc.boolean(),
        jku: fc.constant("https://attacker.test/jwks"),
      },
      { requiredKeys: [] },
    ),
  );

// Times around NOW and the 60 s default skew, plus out-of-range and non-integer values.
const time = fc.oneof(
  fc.constantFrom(-3601, -61, -60, -59, -1, 0, 1, 59, 60, 61, 3600).map((d) => NOW + d),
  fc.constantFrom(0, -1, 1, 1.5, NOW + 0.5, 2 ** 53, 2 ** 63, 1e300, -(2 ** 63), "1704067200", null, true, [NOW]),
);

const audience = fc.oneof(
  fc.constantFrom("api.test", "https://api.test", "https://api.test/", "http://api.test/", "api.test//", "other.test"),
  fc.constantFrom(["api.test"], ["other.test", "api.test"], [], ["api.test", 5], 5, null, { a: 1 }),
);

const payload = jsonText(
  fc
    .record(
      {
        iss: fc.constantFrom("https://issuer.test", "https://issuer.test/", "https://other.test", "", 5, null),
        aud: audience,
        sub: fc.constantFrom("alice", "", 7, ["alice"]),
        exp: time,
        nbf: time,
        iat: time,
        jti: fc.constantFrom("id", 3),
        big: fc.nat({ max: 9000 }).map((n) => "x".repeat(n)),
      },
      { requiredKeys: [] },
    )
    .chain((overrides) =>
      fc.constantFrom(
        { ...claims(), ...overrides },
        overrides,
        Object.fromEntries(Object.entries(claims()).filter(([k]) => !(k in overrides))),
      ),
    ),
);

/** A token case: a signing algorithm, header and payload texts, and the edits to its encoding. */
export const tokenCase: fc.Arbitrary<TokenCase> = fc.constantFrom(...ALGS).chain((signAlg) =>
  fc.record({
    signAlg: fc.constant(signAlg),
    header: fc.oneof(
      { weight: 3, arbitrary: fc.constant(JSON.stringify({ alg: signAlg, kid: kidFor(signAlg) })) },
      { weight: 4, arbitrary: header(signAlg) },
    ),
    payload: fc.oneof(
      { weight: 2, arbitrary: fc.constant(JSON.stringify(claims())) },
      { weight: 5, arbitrary: payload },
    ),
    signatureEdit: fc.record({
      kind: fc.oneof(
        { weight: 6, arbitrary: fc.constant("none" as const) },
        { weight: 3, arbitrary: fc.constantFrom("flip", "truncate", "append", "empty", "other-alg") },
      ),
      at: fc.nat(),
    }),
    encodingEdit: fc.record({
      kind: fc.oneof(
        { weight: 8, arbitrary: fc.constant("none" as const) },
        { weight: 2, arbitrary: fc.constantFrom("pad", "extra-segment", "oversize", "insert") },
      ),
      at: fc.nat(),
      char: fc.constantFrom("=", "+", "/", " ", "A", "_", "-", "."),
    }),
  }),
);

function editSignature(sig: Buffer, edit: TokenCase["signatureEdit"], alg: string, input: string): Buffer {
  if (edit.kind === "none") return sig;
  if (edit.kind === "empty") return Buffer.alloc(0);
  if (edit.kind === "append") return Buffer.concat([sig, Buffer.of(edit.at & 0xff)]);
  if (edit.kind === "truncate") return sig.subarray(0, sig.length === 0 ? 0 : edit.at % sig.length);
  if (edit.kind === "other-alg") return signature(ALGS[(ALGS.indexOf(alg as never) + 1 + (edit.at % 12)) % 13]!, input);
  const out = Buffer.from(sig);
  if (out.length > 0) out[(edit.at >> 3) % out.length]! ^= 1 << (edit.at & 7);
  return out;
}

/** The compact token for `c`. */
export function tokenOf(c: TokenCase): string {
  const input = `${b64u(c.header)}.${b64u(c.payload)}`;
  let jwt = `${input}.${b64u(editSignature(signature(c.signAlg, input), c.signatureEdit, c.signAlg, input))}`;
  const edit = c.encodingEdit;
  if (edit.kind === "pad") {
    const parts = jwt.split(".");
    parts[edit.at % 3] += "=";
    jwt = parts.join(".");
  } else if (edit.kind === "extra-segment") jwt += ".e30";
  else if (edit.kind === "oversize") jwt = `${input}${"A".repeat(9000)}.${jwt.split(".")[2]}`;
  else if (edit.kind === "insert") {
    const at = edit.at % (jwt.length + 1);
    jwt = jwt.slice(0, at) + edit.char + jwt.slice(at);
  }
  return jwt;
}

/** What jwt-authn reads from `Authorization: Bearer <jwt>`: the run of base64url and "." characters. */
export function extracted(jwt: string): string {
  return /^[A-Za-z0-9_.-]*/.exec(jwt.replace(/^[^A-Za-z0-9_.-]*/, ""))![0];
}
