// Reads a bootstrap from envoy-configs/ and moves its listener, admin and cluster ports to the
// ones a test picked, so several runs never collide. Nothing else in the file changes.

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";

// Ports freePort has returned in this process: the system may hand a port that was closed a moment
// ago out again, and two parts of one plan (an admin port and a listener) must never share one.
const handedOut = new Set<number>();
/** How many ports freePort asks the system for before it gives up finding one not returned before. */
const FREE_PORT_ATTEMPTS = 100;

/** Returns a port that was free on 127.0.0.1 a moment ago and that no earlier call in this process returned. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
    const port = await unusedPort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no port on 127.0.0.1 in ${FREE_PORT_ATTEMPTS} tries that this process had not been given before`);
}

// A port the system picked for a listener on 127.0.0.1, closed again.
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The port assignments for one run of a bootstrap. */
export interface PortPlan {
  admin: number;
  /** Listener name to port. */
  listeners: Record<string, number>;
  /** Cluster name to the port of its single endpoint. */
  clusters: Record<string, number>;
}

type Yaml = Record<string, unknown>;

function socketAddress(node: unknown): Yaml {
  return ((node as Yaml)["socket_address"] ?? {}) as Yaml;
}

/** Loads `envoy-configs/<file>` as an object. */
export async function loadBootstrap(root: string, file: string): Promise<Yaml> {
  return parse(await readFile(join(root, "envoy-configs", file), "utf8")) as Yaml;
}

/** Free ports for the admin address and the listener named `ingress`, and `clusters` as given (none by default). */
export async function ingressPorts(
  clusters: Record<string, number> = {},
): Promise<PortPlan & { listeners: { ingress: number } }> {
  return { admin: await freePort(), listeners: { ingress: await freePort() }, clusters };
}

/** Writes a copy of `bootstrap` with `ports` applied to a temporary file and returns its path. */
export async function writeWithPorts(bootstrap: Yaml, ports: PortPlan): Promise<string> {
  const copy = structuredClone(bootstrap);
  socketAddress((copy["admin"] as Yaml)["address"])["port_value"] = ports.admin;
  const resources = copy["static_resources"] as Yaml;
  for (const listener of (resources["listeners"] ?? []) as Yaml[]) {
    const port = ports.listeners[listener["name"] as string];
    if (port !== undefined) socketAddress(listener["address"])["port_value"] = port;
  }
  for (const cluster of (resources["clusters"] ?? []) as Yaml[]) {
    const port = ports.clusters[cluster["name"] as string];
    if (port === undefined) continue;
    const endpoints = ((cluster["load_assignment"] as Yaml)["endpoints"] as Yaml[])[0]!["lb_endpoints"] as Yaml[];
    socketAddress((endpoints[0]!["endpoint"] as Yaml)["address"])["port_value"] = port;
  }
  const dir = await mkdtemp(join(tmpdir(), "envoy-as-e2e-"));
  const path = join(dir, "bootstrap.yaml");
  await writeFile(path, stringify(copy));
  return path;
}

/** The `configuration` value of the first Wasm HTTP filter named `filterName` in `bootstrap`. */
export function wasmFilterConfiguration(bootstrap: Yaml, filterName: string): string {
  const resources = bootstrap["static_resources"] as Yaml;
  for (const listener of resources["listeners"] as Yaml[]) {
    for (const chain of listener["filter_chains"] as Yaml[]) {
      for (const filter of chain["filters"] as Yaml[]) {
        const hcm = filter["typed_config"] as Yaml;
        for (const http of (hcm["http_filters"] ?? []) as Yaml[]) {
          if (http["name"] !== filterName) continue;
          const plugin = (http["typed_config"] as Yaml)["config"] as Yaml;
          return ((plugin["configuration"] as Yaml)["value"] as string) ?? "";
        }
      }
    }
  }
  throw new Error(`no Wasm filter named ${filterName}`);
}
