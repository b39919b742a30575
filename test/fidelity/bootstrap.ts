// The Envoy bootstrap for one setup: a listener with the HTTP connection manager, the Wasm filter
// and the router (or, for a network filter, the Wasm filter and tcp_proxy); the scripted upstream cluster; one STATIC cluster per callout cluster; admin.

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type FidelitySetup } from "./types.js";

/** The loopback ports one run uses. */
export interface Ports {
  admin: number;
  listener: number;
  upstream: number;
  /** Callout cluster name to the port of its scripted server. */
  callouts: Record<string, number>;
}

function address(port: number): object {
  return { socket_address: { address: "127.0.0.1", port_value: port } };
}

function staticCluster(name: string, port: number): object {
  return {
    name,
    type: "STATIC",
    connect_timeout: "1s",
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: address(port) } }] }] },
  };
}

/** The bootstrap for `setup` on `ports`, as an object. */
export function bootstrapFor(setup: FidelitySetup, ports: Ports): object {
  const wasm = {
    name: setup.name,
    typed_config: {
      "@type": "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
      config: {
        name: setup.name,
        root_id: setup.rootId ?? "",
        vm_config: { vm_id: setup.name, runtime: "envoy.wasm.runtime.v8", code: { local: { filename: setup.wasm } } },
        configuration: {
          "@type": "type.googleapis.com/google.protobuf.StringValue",
          value: setup.configuration ?? "",
        },
        failure_policy: setup.failurePolicy ?? "FAIL_CLOSED",
        ...(setup.reloadBackoffMs === undefined
          ? {}
          : { reload_config: { backoff: { base_interval: `${setup.reloadBackoffMs / 1000}s` } } }),
      },
    },
  };
  const hcm = {
    "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
    stat_prefix: "fidelity",
    route_config: {
      name: "local",
      virtual_hosts: [
        { name: "all", domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: "upstream" } }] },
      ],
    },
    http_filters: [
      wasm,
      {
        name: "envoy.filters.http.router",
        typed_config: { "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router" },
      },
    ],
  };
  const filters = setup.network
    ? [
        {
          name: setup.name,
          typed_config: {
            ...wasm.typed_config,
            "@type": "type.googleapis.com/envoy.extensions.filters.network.wasm.v3.Wasm",
          },
        },
        {
          name: "envoy.filters.network.tcp_proxy",
          typed_config: {
            "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
            stat_prefix: "fidelity",
            cluster: "upstream",
          },
        },
      ]
    : [{ name: "envoy.filters.network.http_connection_manager", typed_config: hcm }];
  return {
    admin: { address: address(ports.admin) },
    static_resources: {
      listeners: [{ name: "ingress", address: address(ports.listener), filter_chains: [{ filters }] }],
      clusters: [
        staticCluster("upstream", ports.upstream),
        ...Object.entries(ports.callouts).map(([name, port]) => staticCluster(name, port)),
      ],
    },
  };
}

/** Writes the bootstrap for `setup` to a temporary file and returns its path. */
export async function writeBootstrap(setup: FidelitySetup, ports: Ports): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "envoy-as-fidelity-"));
  const path = join(dir, "bootstrap.yaml");
  await writeFile(path, stringify(bootstrapFor(setup, ports)));
  return path;
}
