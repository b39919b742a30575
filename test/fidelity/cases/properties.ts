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
