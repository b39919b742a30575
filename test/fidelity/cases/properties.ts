// Property cases: the properties fixture logs each `x-get` query (request headers, response
// headers, on_log) and writes filter state from `x-set`.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const properties: FidelitySetup = {
  name: "properties",
  wasm: "build/fixtures/properties.wasm",
  rootId: "props",
};

const get = (name: string, queries: string[], extra: [string, string][] = []): FidelityCase => ({
  name,
  headers: [...queries.map((q): [string, string] => ["x-get", q]), ...extra],
});

export const propertiesCases: FidelityCase[] = [
  get("reads request.path as one segment, which names filter state (abi.md 10, gotcha 11)", ["status:request.path"]),
  get("has no upstream attributes before the router picked a host", [
    "status:upstream/address",
    "status:upstream/port",
  ]),
  {
    name: "reads upstream attributes in the response phase",
    upstream: { status: 200, headers: [["x-get", "status:upstream/address"]], body: "upstream body" },
  },
  get("reads request attributes", [
    "str:request/path",
    "str:request/url_path",
    "str:request/query",
    "str:request/method",
    "str:request/host",
    "str:request/scheme",
    "str:request/protocol",
    "str:request/useragent",
  ]),
  get("reads the plugin identity", ["str:plugin_name", "str:plugin_root_id", "str:plugin_vm_id"]),
  get("reads connection attributes", [
    "str:source/address",
    "i64:source/port",
    "str:destination/address",
    "i64:destination/port",
    "bool:connection/mtls",
  ]),
  get("reads one request header through request.headers", ["str:request/headers/x-get", "str:request/headers/absent"]),
  get("reads xds names", ["str:xds/cluster_name", "str:xds/route_name", "str:xds/virtual_host_name"]),
  get("answers NotFound for unknown and removed names", ["status:nothing", "status:cluster_name", "status:node"]),
  get("reads response attributes before a response exists", ["status:response/code", "i64:request/size"]),
  get(
    "writes filter state and reads it back",
    [],
    [
      ["x-set", "color=blue"],
      ["x-set", "shape=round"],
    ],
  ),
  get(
    "reads the user agent and referer",
    ["str:request/useragent", "str:request/referer"],
    [
      ["user-agent", "props/1"],
      ["referer", "http://from.test/"],
    ],
  ),
  get("reads an empty request header through request.headers", ["str:request/headers/x-blank"], [["x-blank", ""]]),
  get("reads an upper-case request header name through request.headers", ["str:request/headers/X-Get"]),
  get("reads the request headers as a map", ["status:request/headers"]),
  get("answers NotFound for request trailers", ["status:request/trailers"]),
  get("reads response attributes in on_log", ["i64:response/code", "str:response/code_details", "i64:response/size"]),
  get("reads connection names", ["str:connection/requested_server_name", "str:connection/tls_version"]),
  get("reads the plugin identity as bytes", ["bytes:plugin_name", "bytes:plugin_root_id"]),
  get("reads the request protocol and scheme through the status call", [
    "status:request/protocol",
    "status:request/scheme",
    "status:request/method",
  ]),
  {
    name: "reads the request size of a POST",
    method: "POST",
    headers: [
      ["x-get", "i64:request/size"],
      ["x-get", "str:request/method"],
    ],
    body: "twelve bytes",
  },
  {
    ...get("reads a path with a query", ["str:request/path", "str:request/url_path", "str:request/query"]),
    path: "/q/r?a=1&b=",
  },
  get("writes filter state bytes", [], [["x-set-bytes", "1"]]),
  get(
    "overwrites filter state",
    [],
    [
      ["x-set", "color=red"],
      ["x-set", "color=green"],
    ],
  ),
  get(
    "reads a repeated request header through request.headers",
    ["str:request/headers/x-rep"],
    [
      ["x-rep", "one"],
      ["x-rep", "two"],
    ],
  ),
  get("reads pseudo-headers through request.headers", [
    "str:request/headers/:authority",
    "str:request/headers/:method",
    "str:request/headers/:path",
  ]),
  get("reads host through request.headers, Envoy's legacy name of :authority", [
    "str:request/headers/host",
    "str:request/headers/Host",
  ]),
  get("reads the user agent when the client sends none", ["str:request/useragent", "status:request/referer"]),
  {
    name: "reads response attributes in the response phase",
    upstream: {
      status: 201,
      headers: [
        ["x-get", "i64:response/code"],
        ["x-get", "str:response/code_details"],
      ],
      body: "made",
    },
  },
];
