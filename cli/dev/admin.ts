// The dev proxy's admin listener, a subset of Envoy's: /ready, /stats (name: value lines) and
// /stats/prometheus (the Wasm metrics as Envoy prints them; /stats leaves histograms out).

import { type Server, createServer } from "node:http";
import { type HostEnvironment, MetricType, type Plugin } from "../../harness/index.js";

/** Starts the admin listener; resolves once it listens. */
export async function startAdmin(
  address: { address: string; port: number },
  environment: HostEnvironment,
  plugins: Plugin[],
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    res.setHeader("content-type", "text/plain; charset=utf-8");
    if (path === "/ready") {
      const live = plugins.every((p) => p.status === "running");
      res.statusCode = live ? 200 : 503;
      res.end(live ? "LIVE\n" : "PRE_INITIALIZING\n");
    } else if (path === "/stats/prometheus") {
      res.end(environment.metrics.prometheus());
    } else if (path === "/stats") {
      res.end(statsText(environment));
    } else {
      res.statusCode = 404;
      res.end("the dev proxy's admin serves /ready, /stats and /stats/prometheus\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address.port, address.address, () => resolve());
  });
  return server;
}

// Envoy's /stats text for counters and gauges: `<name>: <value>`, custom stats without their namespace.
function statsText(environment: HostEnvironment): string {
  const lines = environment.metrics
    .all()
    .filter((stat) => stat.type !== MetricType.Histogram)
    .map((stat) => `${stat.fullName.slice("wasmcustom.".length)}: ${stat.value}`)
    .sort();
  return lines.join("\n") + "\n";
}
