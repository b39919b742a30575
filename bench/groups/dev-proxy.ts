// The dev proxy (`envoy-as dev`, a child process) serving the demo chain (envoy-configs/demo.yaml,
// with its demo services: echo upstream, identity provider, log collector) under load from wrk,
// against the same dev proxy and config without the four Wasm filters (the router only).

import { rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type PortPlan, freePort, loadBootstrap, writeWithPorts } from "../../test/e2e/support/config.js";
import { type Case } from "../case.js";
import { Background, type LoadTarget, expectOk, loadCases, requireWrk, statusOf } from "../load.js";

type Yaml = Record<string, unknown>;

function httpFilters(bootstrap: Yaml): Yaml {
  const listener = ((bootstrap["static_resources"] as Yaml)["listeners"] as Yaml[])[0]!;
  return ((listener["filter_chains"] as Yaml[])[0]!["filters"] as Yaml[])[0]!["typed_config"] as Yaml;
}

// The demo bootstrap with its Wasm filters removed: only the router is left.
function withoutFilters(bootstrap: Yaml): Yaml {
  const copy = structuredClone(bootstrap);
  const manager = httpFilters(copy);
  const filters = manager["http_filters"] as Yaml[];
  manager["http_filters"] = [filters[filters.length - 1]!];
  return copy;
}

// Serves `bootstrap` with `envoy-as dev` on free ports; the file is named demo.yaml so the dev
// command starts the demo services too. Returns the listener's URL and the identity provider's.
async function startDevProxy(
  bootstrap: Yaml,
  started: Background[],
  directories: string[],
): Promise<{ listener: string; idp: string }> {
  const ports: PortPlan = {
    admin: await freePort(),
    listeners: { ingress: await freePort() },
    clusters: { upstream: await freePort(), idp: await freePort(), "log-collector": await freePort() },
  };
  const written = await writeWithPorts(bootstrap, ports);
  directories.push(dirname(written));
  const config = join(dirname(written), "demo.yaml");
  await rename(written, config);
  const proxy = Background.start(join("node_modules", ".bin", "tsx"), ["cli/main.ts", "dev", config], process.cwd());
  started.push(proxy);
  const listener = `http://127.0.0.1:${ports.listeners["ingress"]}`;
  await proxy.waitUntil(async () => (await statusOf(`${listener}/public/status`)) !== null, "the dev proxy");
  return { listener, idp: `http://127.0.0.1:${ports.clusters["idp"]}` };
}

export default async function devProxy(): Promise<Case[]> {
  await requireWrk();
  const bootstrap = await loadBootstrap(process.cwd(), "demo.yaml");
  const started: Background[] = [];
  const directories: string[] = [];
  try {
    const demo = await startDevProxy(bootstrap, started, directories);
    const plain = await startDevProxy(withoutFilters(bootstrap), started, directories);
    const token = await (await fetch(`${demo.idp}/token?sub=alice&role=viewer&tenant=acme`)).text();
    const headers: [string, string][] = [
      ["authorization", `Bearer ${token}`],
      ["x-debug-trace", "1"],
    ];
    const candidate: LoadTarget = {
      url: `${demo.listener}/api/hello`,
      headers,
      expectHeader: ["x-served-by", "envoy-as demo"],
    };
    const baseline: LoadTarget = { url: `${plain.listener}/api/hello`, headers };
    await expectOk(candidate, "the dev proxy with the demo chain");
    await expectOk(baseline, "the dev proxy without filters");
    return await loadCases("dev-proxy.demo", candidate, baseline);
  } catch (error) {
    const output = started.map((p) => p.log.slice(-2_000)).join("\n---\n");
    throw new Error(`${error instanceof Error ? error.message : String(error)}\ndev proxy output:\n${output}`, {
      cause: error,
    });
  } finally {
    await Promise.all(started.map((p) => p.stop()));
    await Promise.all(directories.map((d) => rm(d, { recursive: true, force: true })));
  }
}
