// jwt-authn against the attack classes of filters.md 5.4, and fuzzing: nothing a client sends
// makes the filter trap, and every hostile token is answered 401 with a precise reason.

import { describe, expect, it } from "vitest";
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import fc from "fast-check";
import {
  NOW,
  b64u,
  builds,
  claims,
  jwk,
  keys,
  load,
  provider,
  replyBody,
  requestHeaders,
  send,
  signature,
  simpleConfig,
  statusFor,
  token,
} from "./jwt-authn/support.js";

// A token with raw header and payload texts, signed as `alg` with the test keys.
function raw(alg: string, header: string, payload: string): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${b64u(signature(alg, input))}`;
}

const rsaOnly = () => ({
  providers: {
    main: provider({ local_jwks: { inline_string: JSON.stringify({ keys: [jwk(keys.rsa, { kid: "rsa" })] }) } }),
  },
  rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
});

const ecOnly = () => ({
  providers: { main: provider({ local_jwks: { inline_string: JSON.stringify({ keys: [jwk(keys.p256)] }) } }) },
  rules: [{ match: { prefix: "/" }, requires: { provider_name: "main" } }],
});

describe.each(builds)("jwt-authn attacks (%s)", (wasm) => {
  it("rejects alg none in every spelling, with or without a signature (CVE-2015-9235)", async () => {
    const plugin = await load(wasm, simpleConfig());
    const body = b64u(JSON.stringify(claims()));
    for (const alg of ["none", "None", "NONE", "nOnE"]) {
      const head = b64u(JSON.stringify({ alg }));
      expect(replyBody(plugin, `${head}.${body}.`)).toBe(
        "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
      );
      expect(replyBody(plugin, `${head}.${body}.${b64u("x")}`)).toBe("Jwt header [alg] is not supported");
    }
  });

  it("rejects HS256 tokens MACed with the RSA or EC public key in any form (CVE-2016-10555, CVE-2022-29217)", async () => {
    for (const [config, pair] of [
      [rsaOnly(), keys.rsa],
      [ecOnly(), keys.p256],
    ] as const) {
      const plugin = await load(wasm, config);
      const forms = [
        pair.publicKey.export({ format: "pem", type: "spki" }) as string,
        pair.publicKey.export({ format: "der", type: "spki" }),
        JSON.stringify(pair.publicKey.export({ format: "jwk" })),
        Buffer.from((pair.publicKey.export({ format: "jwk" }) as { n?: string; x?: string }).n ?? "x", "base64url"),
      ];
      for (const secret of forms) {
        for (const header of [{}, { kid: "rsa" }]) {
          const head = b64u(JSON.stringify({ alg: "HS256", ...header }));
          const input = `${head}.${b64u(JSON.stringify(claims()))}`;
          const mac = createHmac("sha256", secret).update(input).digest();
          expect(replyBody(plugin, `${input}.${b64u(mac)}`)).toBe("Jwks doesn't have key to match kid or alg from Jwt");
        }
      }
    }
  });

  it("rejects psychic ECDSA signatures: zero r and s, r or s = n, DER form (CVE-2022-21449)", async () => {
    const plugin = await load(wasm, ecOnly());
    const n = Buffer.from("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", "hex");
    const input = `${b64u(JSON.stringify({ alg: "ES256" }))}.${b64u(JSON.stringify(claims()))}`;
    const zero = Buffer.alloc(32);
    const one = Buffer.alloc(32);
    one[31] = 1;
    for (const sig of [
      Buffer.concat([zero, zero]),
      Buffer.concat([n, n]),
      Buffer.concat([n, one]),
      Buffer.concat([one, n]),
      Buffer.from("MAYCAQACAQA", "base64"),
    ]) {
      expect(replyBody(plugin, `${input}.${b64u(sig)}`)).toBe("Jwt verification fails");
    }
  });

  it("ignores an attacker key embedded in the header as jwk, and never fetches jku or x5u (CVE-2018-0114)", async () => {
    const plugin = await load(wasm, rsaOnly());
    const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const embedded = { ...(attacker.publicKey.export({ format: "jwk" }) as object), kid: "rsa" };
    for (const extra of [
      { jwk: embedded, kid: "rsa" },
      { jku: "http://127.0.0.1:1/jwks.json", kid: "rsa" },
      { x5u: "http://127.0.0.1:1/cert.pem" },
      { x5c: ["MIIB"] },
    ]) {
      const input = `${b64u(JSON.stringify({ alg: "RS256", ...extra }))}.${b64u(JSON.stringify(claims()))}`;
      const forged = `${input}.${b64u(sign("sha256", Buffer.from(input), attacker.privateKey))}`;
      expect(replyBody(plugin, forged)).toBe("Jwt verification fails");
    }
    // With configured keys nothing is ever fetched; remote keys come only from the configured URI
    // (test/filters/jwt-authn-remote.test.ts).
    expect(plugin.httpCalls).toEqual([]);
  });

  it("looks kid up only in the configured keys: traversal, injection, long and non-string kids fail", async () => {
    const plugin = await load(wasm, rsaOnly());
    for (const kid of ["../../dev/null", "' OR '1'='1", "k".repeat(4000), "rsa\u0000"]) {
      expect(replyBody(plugin, token("RS256", claims(), { kid }))).toBe(
        "Jwks doesn't have key to match kid or alg from Jwt",
      );
    }
    for (const kid of [5, null, ["rsa"], { a: 1 }]) {
      expect(replyBody(plugin, token("RS256", claims(), { kid }))).toBe("Jwt header [kid] field is not a string");
    }
    expect(statusFor(plugin, token("RS256", claims(), { kid: "rsa" }))).toBe(200);
  });

  it("rejects validly signed tokens with crit or an unencoded payload (RFC 7515 4.1.11, RFC 7797)", async () => {
    const plugin = await load(wasm, simpleConfig());
    for (const header of [{ crit: ["x"], x: 1 }, { crit: ["b64"], b64: false }, { b64: false }, { crit: [] }]) {
      expect(replyBody(plugin, token("RS256", claims(), header))).toBe(
        "Jwt header uses an extension that is not supported",
      );
    }
    expect(statusFor(plugin, token("RS256", claims(), { b64: true }))).toBe(200);
  });

  it("matches audiences any-of and rejects non-string audiences (CVE-2020-26160)", async () => {
    const plugin = await load(wasm, simpleConfig({ audiences: ["api.test", "https://other.test/"] }));
    expect(statusFor(plugin, token("RS256", claims({ aud: ["x", "api.test"] })))).toBe(200);
    expect(statusFor(plugin, token("RS256", claims({ aud: "http://other.test" })))).toBe(200);
    expect(statusFor(plugin, token("RS256", claims({ aud: "https://api.test/" })))).toBe(200);
    expect(statusFor(plugin, token("RS256", claims({ aud: [] })))).toBe(403);
    expect(statusFor(plugin, token("RS256", claims({ aud: "" })))).toBe(403);
    expect(statusFor(plugin, token("RS256", claims({ aud: undefined })))).toBe(403);
    for (const aud of [5, [5], ["api.test", 5], { a: "api.test" }, null]) {
      expect(replyBody(plugin, token("RS256", claims({ aud })))).toBe(
        "Jwt payload [aud] field is not a string or string list",
      );
    }
  });

  it("rejects JSON serializations, JWEs and malformed compact forms (CVE-2022-39227)", async () => {
    const plugin = await load(wasm, simpleConfig());
    const good = token("RS256").split(".");
    const format = "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections";
    const json = JSON.stringify({ protected: good[0], payload: good[1], signature: good[2] });
    for (const t of [
      json,
      `${good.join(".")}.${good[2]}`,
      `${good[0]}..${good[1]}.${good[2]}`,
      `.${good[1]}.${good[2]}`,
      `${good[0]}.${good[1]}`,
      `${good[0]}.${good[1]}.${good[2]}.x.y`,
    ]) {
      const { stream } = send(
        plugin,
        requestHeaders("/", [
          ["x-ignored", "1"],
          ["authorization", `Bearer ${t}`],
        ]),
      );
      expect(stream.localReply!.status).toBe(401);
    }
    expect(replyBody(plugin, `${good[0]}.${good[1]}`)).toBe(format);
    expect(replyBody(plugin, `${good[0]}.a.b.c.d`)).toBe(format);
    const jweHeader = b64u(JSON.stringify({ alg: "RSA-OAEP", enc: "A256GCM" }));
    expect(replyBody(plugin, `${jweHeader}.${good[1]}.${good[2]}`)).toBe("Jwt header [alg] is not supported");
  });

  it("refuses tokens over max_token_bytes and reads one token from 100 Authorization headers", async () => {
    const plugin = await load(wasm, simpleConfig());
    const huge = token("RS256", claims({ pad: "x".repeat(9000) }));
    expect(replyBody(plugin, huge)).toBe("Jwt is larger than the configured limit");
    const roomy = await load(wasm, simpleConfig({}, { max_token_bytes: 20000 }));
    expect(statusFor(roomy, huge)).toBe(200);
    const many: [string, string][] = Array.from({ length: 100 }, (_, i) => [
      "authorization",
      `Bearer ${token("HS256", claims({ i }))}`,
    ]);
    const { stream } = send(plugin, requestHeaders("/", many));
    expect(stream.localReply).toBeNull();
    expect(plugin.environment.metrics.counter("alg=.=HS256;.;jwt_authn_signature_checks")).toBe(1n);
  });

  it("survives hostile JSON: deep nesting, huge numbers, invalid UTF-8, NUL characters (CVE-2025-53864)", async () => {
    const plugin = await load(wasm, simpleConfig({}, { max_token_bytes: 100000 }));
    expect(replyBody(plugin, raw("RS256", '{"alg":"RS256"}', "[".repeat(10000) + "]".repeat(10000)))).toBe(
      "Jwt payload is an invalid JSON",
    );
    expect(replyBody(plugin, raw("RS256", '{"alg":"RS256"}', `{"a":${"[".repeat(100)}${"]".repeat(100)}}`))).toBe(
      "Jwt payload is an invalid JSON",
    );
    expect(replyBody(plugin, token("RS256", claims({ exp: 1e300 })))).toBe(
      "Jwt payload [exp] field is not a positive 64 bit integer",
    );
    const badUtf8 = Buffer.concat([Buffer.from('{"sub":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const input = `${b64u('{"alg":"RS256"}')}.${b64u(badUtf8)}`;
    expect(replyBody(plugin, `${input}.${b64u(signature("RS256", input))}`)).toBe("Jwt payload is an invalid JSON");
    const header = `${b64u('{"alg":"RS256","x":"\\u0000"}')}.${b64u(JSON.stringify(claims({ n: "a\u0000b" })))}`;
    expect(statusFor(plugin, `${header}.${b64u(signature("RS256", header))}`)).toBe(200);
  });

  it("rejects duplicate members in the header and the payload (RFC 7515 5.2)", async () => {
    const plugin = await load(wasm, simpleConfig());
    expect(replyBody(plugin, raw("RS256", '{"alg":"RS256","alg":"none"}', JSON.stringify(claims())))).toBe(
      "Jwt header is an invalid JSON",
    );
    const payload = JSON.stringify(claims()).replace("{", `{"exp":${NOW + 100},`);
    expect(replyBody(plugin, raw("RS256", '{"alg":"RS256"}', payload))).toBe("Jwt payload is an invalid JSON");
    expect(replyBody(plugin, raw("RS256", '{"alg":"RS256"}', '{"sub":"a","sub":"b"}'))).toBe(
      "Jwt payload is an invalid JSON",
    );
  });

  it("checks exp and nbf with the default 60 s skew at the edges (jwt_verify_lib jwt_time_test)", async () => {
    const plugin = await load(wasm, simpleConfig());
    const cases: [Record<string, unknown>, string][] = [
      [{ exp: NOW - 60 }, ""],
      [{ exp: NOW - 61 }, "Jwt is expired"],
      [{ nbf: NOW + 60 }, ""],
      [{ nbf: NOW + 61 }, "Jwt not yet valid"],
      [{ exp: NOW + 100.9 }, ""],
      [{ exp: "tomorrow" }, "Jwt payload [exp] field is not an integer"],
      [{ nbf: true }, "Jwt payload [nbf] field is not an integer"],
      [{ iat: "now" }, "Jwt payload [iat] field is not an integer"],
      [{ iat: -1 }, "Jwt payload [iat] field is not a positive 64 bit integer"],
      [{ exp: -5 }, "Jwt payload [exp] field is not a positive 64 bit integer"],
      [{ exp: 2 ** 64 }, "Jwt payload [exp] field is not a positive 64 bit integer"],
      [{ exp: undefined }, ""],
      [{ iat: NOW + 86400 }, ""],
      [{ iss: 5 }, "Jwt payload [iss] field is not a string"],
      [{ sub: ["a"] }, "Jwt payload [sub] field is not a string"],
      [{ jti: 1 }, "Jwt payload [jti] field is not a string"],
    ];
    for (const [extra, body] of cases)
      expect(replyBody(plugin, token("ES256", claims(extra))), JSON.stringify(extra)).toBe(body);
  });

  it("checks the signature before time and audience, so a forged expired token is just a forgery", async () => {
    const plugin = await load(wasm, simpleConfig());
    const [h, p] = token("RS256", claims({ exp: NOW - 1000, aud: "other" })).split(".");
    const forged = `${h}.${p}.${token("RS256").split(".")[2]}`;
    expect(replyBody(plugin, forged)).toBe("Jwt verification fails");
  });

  it("rejects non-canonical base64url: padding, +/ alphabet, whitespace, non-zero unused bits", async () => {
    // A header without prefix hands over its whole value, so nothing is cut at the first odd character.
    const plugin = await load(wasm, simpleConfig({ from_headers: [{ name: "x-token" }] }));
    const replyBody = (_: unknown, t: string) =>
      new TextDecoder().decode(send(plugin, requestHeaders("/", [["x-token", t]])).stream.localReply!.body);
    const [h, p, s] = token("ES256").split(".") as [string, string, string];
    const last = s.at(-1)!;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const bumped = alphabet[alphabet.indexOf(last) + 1]!;
    expect(replyBody(plugin, `${h}=.${p}.${s}`)).toBe("Jwt header is an invalid Base64url encoded");
    expect(replyBody(plugin, `${h}.${p}.${s.slice(0, -1)}${bumped}`)).toBe(
      "Jwt signature is an invalid Base64url encoded",
    );
    expect(replyBody(plugin, `${h}.${p}.${s}==`)).toBe("Jwt signature is an invalid Base64url encoded");
    const header = Buffer.from(JSON.stringify({ alg: "ES256", x: "??>" })).toString("base64");
    expect(header).toMatch(/[+/]/);
    expect(replyBody(plugin, `${header.replace(/=+$/, "")}.${p}.${s}`)).toBe(
      "Jwt header is an invalid Base64url encoded",
    );
    const { stream } = send(plugin, requestHeaders("/", [["x-token", `${h}. ${p}.${s}`]]));
    expect(stream.localReply!.status).toBe(401);
  });

  it("rejects signatures of the wrong length for every family", async () => {
    const plugin = await load(wasm, simpleConfig());
    for (const alg of ["ES256", "ES384", "ES512", "RS256", "PS256", "HS256", "HS512"]) {
      const [h, p, s] = token(alg).split(".") as [string, string, string];
      const sig = Buffer.from(s, "base64url");
      for (const bad of [
        sig.subarray(0, sig.length - 1),
        Buffer.concat([sig, Buffer.alloc(1)]),
        Buffer.concat([Buffer.alloc(1), sig]),
      ]) {
        expect(replyBody(plugin, `${h}.${p}.${b64u(bad)}`), alg).toBe("Jwt verification fails");
      }
    }
    const [h, p, s] = token("EdDSA").split(".") as [string, string, string];
    const short = Buffer.from(s, "base64url").subarray(0, 63);
    expect(replyBody(plugin, `${h}.${p}.${b64u(short)}`)).toBe("Jwt ED25519 signature is wrong length");
    // A 64-byte EdDSA signature with S >= L (malleability) is refused.
    const sig = Buffer.from(s, "base64url");
    sig.fill(0xff, 32);
    expect(replyBody(plugin, `${h}.${p}.${b64u(sig)}`)).toBe("Jwt verification fails");
  });

  it("rejects nested JWTs, whose payload is a token rather than claims", async () => {
    const plugin = await load(wasm, simpleConfig());
    expect(replyBody(plugin, token("RS256", token("RS256"), { cty: "JWT" }))).toBe("Jwt payload is an invalid JSON");
  });

  it("never traps on random header values or mutated tokens (fast-check)", async () => {
    const plugin = await load(
      wasm,
      simpleConfig({ from_cookies: ["c"], from_params: ["t"] }, { max_token_bytes: 4096 }),
    );
    const good = token("ES256");
    const check = (value: string) => {
      const safe = value.replace(/[\r\n\0]/g, "");
      const { stream } = send(
        plugin,
        requestHeaders(`/x?t=${encodeURIComponent(safe)}`, [
          ["authorization", `Bearer ${safe}`],
          ["cookie", `c=${safe}`],
        ]),
      );
      const status = stream.localReply ? stream.localReply.status : 200;
      expect([200, 401, 403]).toContain(status);
    };
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 150 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 0, max: 127 }), (at, code) => {
        check(good.slice(0, at) + String.fromCharCode(code) + good.slice(at + 1));
      }),
      { numRuns: 300 },
    );
    const parts = fc.string({ maxLength: 40 }).map((s) => b64u(s));
    fc.assert(
      fc.property(parts, parts, parts, (h, p, s) => check(`${h}.${p}.${s}`)),
      { numRuns: 150 },
    );
    expect(plugin.status).toBe("running");
  });
});
