// CEL over Envoy's attributes (assembly/cel-attributes.ts): typed attributes read from the host
// only when an expression reaches them, header maps read one header at a time, jwt.claims from the
// filter state jwt-authn publishes, and absent attributes as errors, never traps.

import { describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { builds, logged } from "./support.js";

const headers = (extra: [string, string][] = []): [string, string][] => [
  [":method", "POST"],
  [":path", "/api/orders?page=2"],
  [":authority", "shop.test"],
  [":scheme", "https"],
  ["x-tenant", "acme"],
  ...extra,
];

describe.each(builds("cel"))("CEL over Envoy attributes (%s)", (wasm) => {
  async function evaluate(expression: string, extra: [string, string][] = [], attributes = {}) {
    const plugin = await Plugin.load(wasm, { configuration: expression, trace: true });
    const stream = plugin.newHttpStream(0, { attributes });
    stream.sendRequestHeaders(headers(extra), true);
    const properties = plugin.trace!.countsByName(stream)["proxy_get_property"] ?? 0;
    return { result: logged(plugin, "result").concat(logged(plugin, "error")), properties };
  }

  it("reads string, int, bool and timestamp attributes with Envoy's types", async () => {
    const checks = [
      "request.path == '/api/orders?page=2'",
      "request.url_path.startsWith('/api/') && request.query == 'page=2'",
      "request.method in ['GET', 'POST'] && request.host == 'shop.test'",
      "source.port == 45678 && source.address.endsWith(':45678')",
      "connection.mtls == false",
      "request.time > timestamp('2020-01-01T00:00:00Z')",
      "connection.id >= 0u",
    ];
    for (const expression of checks) expect((await evaluate(expression)).result, expression).toEqual(["result true"]);
  });

  it("looks headers up case-insensitively, one header per lookup", async () => {
    const { result, properties } = await evaluate("request.headers['X-Tenant'] == 'acme'");
    expect(result).toEqual(["result true"]);
    expect(properties).toBe(1);
    expect((await evaluate("'x-missing' in request.headers")).result).toEqual(["result false"]);
    expect((await evaluate("request.headers.size() >= 5")).result).toEqual(["result true"]);
  });

  it("finds host as :authority in the request headers, read one by one or whole, as Envoy does", async () => {
    expect((await evaluate("request.headers['Host'] == 'shop.test'")).result).toEqual(["result true"]);
    const whole = "request.headers.size() == 5 && request.headers['host'] == 'shop.test'";
    expect((await evaluate(whole)).result).toEqual(["result true"]);
  });

  it("reads nothing for an attribute the expression never reaches", async () => {
    expect(await evaluate("true || request.path == '/'")).toEqual({ result: ["result true"], properties: 0 });
    expect(await evaluate("request.method == 'POST'")).toEqual({ result: ["result true"], properties: 1 });
  });

  it("reads the verified JWT claims jwt-authn published, numbers as doubles", async () => {
    const claims = JSON.stringify({ sub: "alice", groups: ["admin", "dev"], exp: 4102444800, org: { id: "acme" } });
    const expression = "jwt.claims.sub == 'alice' && 'admin' in jwt.claims.groups && jwt.claims.org.id == 'acme'";
    expect((await evaluate(expression, [["x-claims", claims]])).result).toEqual(["result true"]);
    expect((await evaluate("jwt.claims.exp == 4102444800.0", [["x-claims", claims]])).result).toEqual(["result true"]);
  });

  it("evaluates an attribute Envoy does not have yet to an error, which || can absorb", async () => {
    expect((await evaluate("response.code == 200")).result).toEqual(["error no such attribute: response.code"]);
    expect((await evaluate("jwt.claims.sub == 'a'")).result).toEqual(["error no such attribute: jwt.claims"]);
    expect((await evaluate("response.code == 200 || true")).result).toEqual(["result true"]);
    expect((await evaluate("jwt.claims.sub == 'a'", [["x-claims", "not json"]])).result[0]).toMatch(
      /^error jwt\.claims is not JSON/,
    );
  });

  it("uses the stream's attribute overrides like any property read", async () => {
    const attributes = {
      "connection.mtls": true,
      "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/a/sa/b",
    };
    const expression =
      "connection.mtls && connection.uri_san_peer_certificate.startsWith('spiffe://cluster.local/ns/a/')";
    expect((await evaluate(expression, [], attributes)).result).toEqual(["result true"]);
  });

  it("refuses an expression that does not compile, naming the position", async () => {
    const plugin = await Plugin.load(wasm, { configuration: "request.path ==" });
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages().some((m) => /^compile error: 1:\d+: /.test(m))).toBe(true);
  });
});
