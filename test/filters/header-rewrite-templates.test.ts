// header-rewrite values: every supported %COMMAND% (Envoy's header-value command operators a Wasm
// filter can know), %CAPTURE%, JWT claims (both spellings), %CEL(...)%, `%%`, `:N` limits, and the
// configure-time refusals of commands the filter cannot serve.

import { describe, expect, it } from "vitest";
import { builds, load, respond, send, sendWithClaimsText, type Req } from "./header-rewrite/support.js";

const START = 1_798_200_123_456_789_012n; // 2026-12-25T12:02:03.456789012Z

// [template, request, expected value of x-out]
const requestCases: [string, Req, string][] = [
  ["%REQ(x-user)%", { headers: [["x-user", "alice"]] }, "alice"],
  [
    "%REQ(X-User)%",
    {
      headers: [
        ["x-user", "a"],
        ["x-user", "b"],
      ],
    },
    "a,b",
  ],
  ["%REQ(x-missing?x-user)%", { headers: [["x-user", "alt"]] }, "alt"],
  ["%REQ(x-user):3%", { headers: [["x-user", "alice"]] }, "ali"],
  ["%REQ(:path)%", { path: "/a?b=1" }, "/a?b=1"],
  ["%REQ(Host)%", { host: "api.shop.test" }, "api.shop.test"],
  ["<%REQ(x-missing)%>", {}, "<>"],
  ["%DOWNSTREAM_REMOTE_ADDRESS%", { attributes: { "source.address": "10.0.0.7:4321" } }, "10.0.0.7:4321"],
  [
    "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%",
    { attributes: { "source.address": "[2001:db8::1]:443" } },
    "2001:db8::1",
  ],
  ["%DOWNSTREAM_REMOTE_PORT%", { attributes: { "source.port": 4321 } }, "4321"],
  ["%DOWNSTREAM_LOCAL_ADDRESS%", { attributes: { "destination.address": "10.0.0.2:8080" } }, "10.0.0.2:8080"],
  ["%DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT%", { attributes: { "destination.address": "10.0.0.2:8080" } }, "10.0.0.2"],
  ["%DOWNSTREAM_LOCAL_PORT%", { attributes: { "destination.port": 8080 } }, "8080"],
  [
    "%DOWNSTREAM_PEER_URI_SAN%",
    { attributes: { "connection.uri_san_peer_certificate": "spiffe://td/ns/a/sa/b" } },
    "spiffe://td/ns/a/sa/b",
  ],
  [
    "%DOWNSTREAM_LOCAL_URI_SAN%",
    { attributes: { "connection.uri_san_local_certificate": "spiffe://td/x" } },
    "spiffe://td/x",
  ],
  [
    "%DOWNSTREAM_PEER_DNS_SAN%",
    { attributes: { "connection.dns_san_peer_certificate": "client.test" } },
    "client.test",
  ],
  ["%DOWNSTREAM_LOCAL_DNS_SAN%", { attributes: { "connection.dns_san_local_certificate": "shop.test" } }, "shop.test"],
  ["%DOWNSTREAM_PEER_SUBJECT%", { attributes: { "connection.subject_peer_certificate": "CN=client" } }, "CN=client"],
  ["%DOWNSTREAM_LOCAL_SUBJECT%", { attributes: { "connection.subject_local_certificate": "CN=shop" } }, "CN=shop"],
  ["%DOWNSTREAM_TLS_VERSION%", { attributes: { "connection.tls_version": "TLSv1.3" } }, "TLSv1.3"],
  [
    "%DOWNSTREAM_PEER_FINGERPRINT_256%",
    { attributes: { "connection.sha256_peer_certificate_digest": "ab12" } },
    "ab12",
  ],
  ["%REQUESTED_SERVER_NAME%", { attributes: { "connection.requested_server_name": "shop.test" } }, "shop.test"],
  ["%CONNECTION_ID%", { attributes: { "connection.id": 42n } }, "42"],
  ["%PROTOCOL%", { attributes: { "request.protocol": "HTTP/2" } }, "HTTP/2"],
  ["%ROUTE_NAME%", { attributes: { "xds.route_name": "api" } }, "api"],
  ["%UPSTREAM_CLUSTER%", { attributes: { "xds.cluster_name": "backend" } }, "backend"],
  ["%START_TIME%", { attributes: { "request.time": START } }, "2026-12-25T12:02:03.456Z"],
  ["%START_TIME(%s)%", { attributes: { "request.time": START } }, "1798200123"],
  ["%START_TIME(%Y/%m/%d %H:%M:%S.%3f)%", { attributes: { "request.time": START } }, "2026/12/25 12:02:03.456"],
  ["%JWT_CLAIM(sub)%", { claims: { sub: "alice" } }, "alice"],
  ["${claim.org.id}", { claims: { org: { id: 7 } } }, "7"],
  ["${claim.groups}", { claims: { groups: ["a", "b"] } }, "a,b"],
  ["$${claim.x}", { claims: { x: "no" } }, "${claim.x}"],
  ["%JWT_CLAIM(missing)%", { claims: {} }, ""],
  ["%CEL(request.headers['x-user'] + '@' + request.host)%", { headers: [["x-user", "al"]] }, "al@shop.test"],
  ["%CEL(size(request.path) * 2)%", { path: "/abc" }, "8"],
  ["100%% sure", {}, "100% sure"],
];

// [response template, status, expected]
const responseCases: [string, Record<string, string | number | bigint>, string][] = [
  ["%RESP(x-upstream)%", {}, "u1"],
  ["%REQ(x-user)%", {}, "alice"],
  ["%REQ(Host)%", {}, "shop.test"],
  ["%RESP(host)%", {}, "origin.test"],
  ["%RESPONSE_CODE%", { "response.code": 503 }, "503"],
  ["%RESPONSE_CODE_DETAILS%", { "response.code_details": "via_upstream" }, "via_upstream"],
  ["%UPSTREAM_REMOTE_ADDRESS%", { "upstream.address": "10.9.9.9:80" }, "10.9.9.9:80"],
];

const refused: [string, string][] = [
  ["%HOSTNAME%", "%HOSTNAME% is not a supported command (see the README's list)"],
  ["%DYNAMIC_METADATA(a:b)%", "%DYNAMIC_METADATA% is not a supported command"],
  ["%RESP(x)%", "%RESP(…)% is only known in response operations"],
  ["%RESPONSE_CODE%", "%RESPONSE_CODE% is only known in response operations"],
  ["%CAPTURE(1)%", "%CAPTURE(1)% needs a match.path with safe_regex in the rule"],
  ["%CEL(1 +)%", "%CEL(1 +)%: 1:4:"],
  ["50% off", "a lone % (write %% for a literal %)"],
  ["%REQ(x)", "%REQ( has no closing )%"],
  ["%REQ()%", "%REQ(…)% needs an argument"],
  ["%PROTOCOL(x)%", "%PROTOCOL% takes no argument"],
  ["%START_TIME(%Q)%", "%START_TIME(%Q)%:"],
  ["${claim.a", "unterminated ${claim.…}"],
];

describe.each(builds)("header-rewrite templates (%s)", (wasm) => {
  const rule = (value: string) => ({ rules: [{ request: { headers: [{ set: { name: "x-out", value } }] } }] });

  it.each(requestCases)("%s renders the request's value", async (template, req, expected) => {
    const plugin = await load(wasm, rule(template));
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    expect(send(plugin, req).upstreamRequest.headers!.get("x-out") ?? "").toBe(expected);
  });

  it("renders each request's own claims when a client repeats or changes its token", async () => {
    const plugin = await load(wasm, rule("${claim.sub}/${claim.tenant}"));
    // carol and alice have claims of the same length; the fifth request has none, the sixth bad JSON.
    const sequence: (Req["claims"] | string)[] = [
      { sub: "alice", tenant: "a" },
      { sub: "alice", tenant: "a" },
      { sub: "carol", tenant: "a" },
      { sub: "carol", tenant: "a" },
      undefined,
      "{not json",
      { sub: "alice", tenant: "a" },
      { sub: "bob", tenant: "b" },
    ];
    const rendered = sequence.map((claims) => {
      const stream =
        typeof claims === "string" ? sendWithClaimsText(plugin, claims) : send(plugin, claims ? { claims } : {});
      return stream.upstreamRequest.headers!.get("x-out") ?? "";
    });
    expect(rendered).toEqual(["alice/a", "alice/a", "carol/a", "carol/a", "/", "/", "alice/a", "bob/b"]);
  });

  it.each(responseCases)("%s renders in a response operation", async (template, attributes, expected) => {
    const config = { rules: [{ response: { headers: [{ set: { name: "x-out", value: template } }] } }] };
    const plugin = await load(wasm, config);
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    const stream = send(plugin, { headers: [["x-user", "alice"]], attributes });
    const headers = respond(stream, [
      ["x-upstream", "u1"],
      ["host", "origin.test"],
    ]);
    expect(headers.find(([k]) => k === "x-out")?.[1] ?? "").toBe(expected);
  });

  it("renders %CAPTURE% groups of the rule's path regex, by number and by name", async () => {
    const config = {
      rules: [
        {
          match: { path: { safe_regex: { regex: "/users/(?P<id>[0-9]+)/(.*)" } } },
          request: {
            headers: [
              { set: { name: "x-id", value: "%CAPTURE(id)%" } },
              { set: { name: "x-rest", value: "%CAPTURE(2)%" } },
            ],
          },
          response: { headers: [{ set: { name: "x-user-id", value: "%CAPTURE(1)%" } }] },
        },
      ],
    };
    const plugin = await load(wasm, config);
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    const stream = send(plugin, { path: "/users/42/orders?x=1" });
    expect(stream.upstreamRequest.headers!.get("x-id")).toBe("42");
    expect(stream.upstreamRequest.headers!.get("x-rest")).toBe("orders");
    expect(respond(stream, []).find(([k]) => k === "x-user-id")?.[1]).toBe("42");
  });

  it.each(refused)("refuses %s at configure time", async (template, message) => {
    const plugin = await load(wasm, rule(template));
    expect(plugin.status).toBe("configure_failed");
    expect(plugin.logMessages()[0]).toContain("rules[0].request.headers[0].set.value: at character");
    expect(plugin.logMessages()[0]).toContain(message);
  });

  it("skips and counts a value that renders characters a header cannot hold", async () => {
    const plugin = await load(wasm, rule("%CEL('a\\nb')%"));
    const stream = send(plugin);
    expect(stream.upstreamRequest.headers!.get("x-out")).toBeUndefined();
    expect(plugin.environment.metrics.counter("header_rewrite_invalid_value_skipped")).toBe(1n);
  });
});
