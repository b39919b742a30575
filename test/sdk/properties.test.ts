// Properties through the SDK's typed getters (reference abi.md 3.8, 5.3, 5.4, 7).

import { describe, expect, it } from "vitest";
import { type AttributeValue, FilterState, Plugin } from "../../harness/index.js";
import { builds, logged } from "./support.js";

function request(queries: string[], extra: [string, string][] = []): [string, string][] {
  return [
    [":method", "GET"],
    [":path", "/items/7?color=red#top"],
    [":authority", "shop.test"],
    [":scheme", "https"],
    ["user-agent", "probe/1"],
    ["x-request-id", "req-1"],
    ["accept", "a"],
    ["x-multi", "1"],
    ["x-multi", "2"],
    ...queries.map((q): [string, string] => ["x-get", q]),
    ...extra,
  ];
}

describe.each(builds("properties"))("properties (%s)", (wasm) => {
  const load = () => Plugin.load(wasm, { name: "props", rootId: "", vmId: "vm-1" });

  it("answers only plugin_* and xds.* in a root context (abi.md 7.1 availability)", async () => {
    const plugin = await load();
    expect(logged(plugin, "root").at(-1)).toBe(
      'root name="props" root_id="" vm_id="vm-1" request.path=1 xds.node=0 xds.cluster_name=1 source.address=null set=1',
    );
  });

  it("derives request attributes from the request headers (abi.md 7.2 request.*)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      request([
        "str:request/path",
        "str:request/url_path",
        "str:request/query",
        "str:request/host",
        "str:request/scheme",
        "str:request/method",
        "str:request/useragent",
        "str:request/id",
        "str:request/protocol",
        "str:request/headers/x-multi",
        "str:request/headers/X-Multi",
        "str:request/headers/host",
        "str:request/referer",
        "i64:request/size",
        "ts:request/time",
      ]),
      true,
    );
    expect(logged(plugin, "request ").map((m) => m.slice("request ".length))).toEqual([
      'str:request/path = "/items/7?color=red#top"',
      'str:request/url_path = "/items/7"',
      'str:request/query = "color=red"',
      'str:request/host = "shop.test"',
      'str:request/scheme = "https"',
      'str:request/method = "GET"',
      'str:request/useragent = "probe/1"',
      'str:request/id = "req-1"',
      'str:request/protocol = "HTTP/1.1"',
      'str:request/headers/x-multi = "1,2"',
      'str:request/headers/X-Multi = "1,2"',
      'str:request/headers/host = "shop.test"',
      "str:request/referer = null",
      "i64:request/size = 0",
      "ts:request/time = 1704067200000000000",
    ]);
  });

  it("serializes request.headers as a pair map with repeated values joined (abi.md 5.4 map)", async () => {
    const plugin = await load();
    plugin.newHttpStream().sendRequestHeaders(
      [
        [":method", "GET"],
        ["a", "1"],
        ["a", "2"],
        ["x-get", "map:request/headers"],
      ],
      true,
    );
    expect(logged(plugin, "request map")).toEqual([
      "request map:request/headers = :method=GET,a=1,2,x-get=map:request/headers",
    ]);
  });

  it("looks header keys up in an overridden request.headers map, and a missing key is absent", async () => {
    const plugin = await load();
    const headers: AttributeValue = { type: "map", value: [["x-tenant", { type: "string", value: "acme" }]] };
    const stream = plugin.newHttpStream(0, { attributes: { "request.headers": headers } });
    stream.sendRequestHeaders(
      request(["str:request/headers/x-tenant", "str:request/headers/X-Tenant", "str:request/headers/x-multi"]),
      true,
    );
    expect(logged(plugin, "request ").map((m) => m.slice("request ".length))).toEqual([
      'str:request/headers/x-tenant = "acme"',
      'str:request/headers/X-Tenant = "acme"',
      "str:request/headers/x-multi = null",
    ]);
  });

  it("encodes ints, uints, bools and wrappers the way Envoy does (abi.md 5.4)", async () => {
    const plugin = await load();
    plugin
      .newHttpStream()
      .sendRequestHeaders(
        request([
          "i64:source/port",
          "str:source/address",
          "str:destination/address",
          "u64:connection/id",
          "u64:connection_id",
          "bool:connection/mtls",
          "bytes:connection/mtls",
          "bytes:source/port",
          "str:connection/tls_version",
          "str:xds/cluster_name",
          "i64:xds/listener_direction",
          "status:request",
          "status:xds",
          "status:request/path/deeper",
          "status:request//path",
          "status:request.path",
          "str:plugin_vm_id",
        ]),
        true,
      );
    expect(logged(plugin, "request ").map((m) => m.slice("request ".length))).toEqual([
      "i64:source/port = 45678",
      'str:source/address = "10.0.0.1:45678"',
      'str:destination/address = "10.0.0.2:8080"',
      "u64:connection/id = 2",
      "u64:connection_id = 2",
      "bool:connection/mtls = false",
      "bytes:connection/mtls = 00",
      "bytes:source/port = 6eb2000000000000",
      "str:connection/tls_version = null",
      'str:xds/cluster_name = "upstream"',
      "i64:xds/listener_direction = 0",
      "status:request = 3",
      "status:xds = 3",
      "status:request/path/deeper = 1",
      "status:request//path = 1",
      "status:request.path = 1",
      'str:plugin_vm_id = "vm-1"',
    ]);
  });

  it("sends paths past the 4 KB argument area and multi-byte segments whole, and 8-byte getters refuse other sizes", async () => {
    const plugin = await load();
    const long = "k".repeat(5_000);
    const state = new FilterState();
    plugin.newHttpStream(0, { filterState: state }).sendRequestHeaders(
      request(
        [],
        [
          ["x-set", `${long}=long`],
          ["x-set", "ключ=значение"],
        ],
      ),
      true,
    );
    expect(logged(plugin, "set")).toEqual([
      `set ${long} status=0 read back="long"`,
      'set ключ status=0 read back="значение"',
    ]);
    plugin
      .newHttpStream(0, { filterState: state })
      .sendRequestHeaders(
        request([
          `str:${long}`,
          "str:ключ",
          "i64:source/address",
          "f64:source/address",
          "u64:connection/mtls",
          "i64:nothing",
        ]),
        true,
      );
    expect(logged(plugin, "request ").map((m) => m.slice("request ".length))).toEqual([
      `str:${long} = "long"`,
      'str:ключ = "значение"',
      "i64:source/address = null",
      "f64:source/address = null",
      "u64:connection/mtls = null",
      "i64:nothing = null",
    ]);
  });

  it("answers the getters with a fallback with the value, or the fallback when absent or of another size", async () => {
    const plugin = await load();
    plugin
      .newHttpStream()
      .sendRequestHeaders(
        request([
          "i64or:source/port",
          "i64or:source/address",
          "i64or:connection/mtls",
          "i64or:nothing",
          "u64or:connection/id",
          "u64or:connection/mtls",
          "u64or:nothing",
          "boolor:connection/mtls",
          "boolor:source/port",
          "boolor:nothing",
          "bool:source/port",
        ]),
        true,
      );
    expect(logged(plugin, "request ").map((m) => m.slice("request ".length))).toEqual([
      "i64or:source/port = 45678",
      "i64or:source/address = -7",
      "i64or:connection/mtls = -7",
      "i64or:nothing = -7",
      "u64or:connection/id = 2",
      "u64or:connection/mtls = 7",
      "u64or:nothing = 7",
      "boolor:connection/mtls = false",
      "boolor:source/port = true",
      "boolor:nothing = true",
      "bool:source/port = null",
    ]);
    const overridden = await load();
    overridden
      .newHttpStream(0, { attributes: { "connection.mtls": true, "source.port": -5 } })
      .sendRequestHeaders(request(["boolor0:connection/mtls", "boolor0:nothing", "i64or:source/port"]), true);
    expect(logged(overridden, "request ").map((m) => m.slice("request ".length))).toEqual([
      "boolor0:connection/mtls = true",
      "boolor0:nothing = false",
      "i64or:source/port = -5",
    ]);
  });

  it("uses per-stream attribute overrides, and null makes one absent", async () => {
    const plugin = await load();
    plugin
      .newHttpStream(0, {
        attributes: {
          "source.address": "192.0.2.9:1234",
          "source.port": 1234,
          "connection.mtls": true,
          "connection.uri_san_peer_certificate": "spiffe://cluster.local/ns/a/sa/b",
          "request.protocol": "HTTP/2",
          "xds.cluster_name": null,
          "upstream.request_attempt_count": 3,
          "response.backend_latency": { type: "duration", value: 5_000_000n },
          "connection.custom": 2.5,
        },
      })
      .sendRequestHeaders(
        request([
          "str:request/protocol",
          "str:xds/cluster_name",
          "u64:upstream/request_attempt_count",
          "dur:response/backend_latency",
          "f64:connection/custom",
        ]),
        true,
      );
    expect(logged(plugin, "request ").map((m) => m.slice("request ".length))).toEqual([
      'str:request/protocol = "HTTP/2"',
      "str:xds/cluster_name = null",
      "u64:upstream/request_attempt_count = 3",
      "dur:response/backend_latency = 5000000",
      "f64:connection/custom = 2.5",
    ]);
    expect(logged(plugin, "convenience")).toEqual([
      'convenience path="/items/7?color=red#top" method="GET" host="shop.test" ua="probe/1" headers=9 source="192.0.2.9:1234" port=1234 mtls=true san="spiffe://cluster.local/ns/a/sa/b" code=0',
    ]);
  });

  it("takes an override set after the stream opened, as a host that learns stream info later", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream(0, { attributes: { "xds.cluster_name": "first" } });
    stream.setAttribute("xds.cluster_name", "api");
    stream.sendRequestHeaders(request(["str:xds/cluster_name"]), true);
    expect(logged(plugin, "request ")).toEqual(['request str:xds/cluster_name = "api"']);
  });

  it("leaves response.code absent for a :status that is not a number, instead of failing the host call", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request([]), true);
    stream.sendResponseHeaders([[":status", "abc"]], true);
    expect(stream.attribute("response.code")).toBeUndefined();
    expect(plugin.status).toBe("running");
  });

  it("hides header-derived attributes once the headers were continued and shows them again in on_log (abi.md 7.1)", async () => {
    const plugin = await load();
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(request(["str:request/path", "i64:response/code", "dur:request/duration"]), true);
    stream.sendResponseHeaders(
      [
        [":status", "201"],
        ["x-get", "str:response/code_details"],
        ["x-get", "str:response/headers/:status"],
      ],
      true,
    );
    expect(logged(plugin, "response")).toEqual([
      "response code=201 path=null",
      'response str:response/code_details = "via_upstream"',
      'response str:response/headers/:status = "201"',
    ]);
    expect(logged(plugin, "log")).toEqual([
      'log str:request/path = "/items/7?color=red#top"',
      "log i64:response/code = 201",
      "log dur:request/duration = 0",
    ]);
    expect(logged(plugin, "request i64:response/code")).toEqual(["request i64:response/code = null"]);
  });

  it("stores filter state as wasm.<name>, readable back and through the stream's shared object (abi.md 3.8)", async () => {
    const plugin = await load();
    const state = new FilterState();
    state.set("wasm.locked", "fixed", { readonly: true });
    const stream = plugin.newHttpStream(0, { filterState: state });
    stream.sendRequestHeaders(
      request(
        ["str:filter_state/wasm.claims", "status:claims/sub"],
        [
          ["x-set", "claims=alice"],
          ["x-set", "locked=changed"],
          ["x-set-bytes", "1"],
        ],
      ),
      true,
    );
    expect(logged(plugin, "set")).toEqual([
      'set claims status=0 read back="alice"',
      'set locked status=2 read back="fixed"',
      "set bytes status=0",
    ]);
    expect(state.text("wasm.claims")).toBe("alice");
    expect(state.get("wasm.raw")!.value).toEqual(new Uint8Array([1, 2]));
    const later = plugin.newHttpStream(0, { filterState: state });
    later.sendRequestHeaders(request(["str:claims", "str:filter_state/wasm.claims"]), true);
    expect(logged(plugin, "request str:claims")).toEqual(['request str:claims = "alice"']);
  });
});
