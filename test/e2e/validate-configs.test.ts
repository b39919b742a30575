// Envoy's own `--mode validate` accepts every bootstrap in envoy-configs/ (and rejects a broken one).

import { readdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { describe, expect, it } from "vitest";
import { requireEnvoyInCi, validateConfig } from "./support/envoy.js";

const root = process.cwd();
const envoy = requireEnvoyInCi();
const configs = readdirSync(join(root, "envoy-configs")).filter((f) => f.endsWith(".yaml"));

describe.skipIf(!envoy)("envoy --mode validate", () => {
  it.each(configs)("accepts envoy-configs/%s", (file) => {
    const verdict = validateConfig(envoy!, join("envoy-configs", file), root);
    expect(verdict.output).toContain("OK");
    expect(verdict.ok).toBe(true);
  });

  it("rejects a bootstrap whose Wasm file does not exist", async () => {
    const broken = join(tmpdir(), `envoy-as-broken-${process.pid}.yaml`);
    await writeFile(
      broken,
      `static_resources:
  listeners:
  - name: l
    address: { socket_address: { address: 127.0.0.1, port_value: 1 } }
    filter_chains:
    - filters:
      - name: envoy.filters.network.http_connection_manager
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
          stat_prefix: x
          route_config: {}
          http_filters:
          - name: w
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm
              config: { vm_config: { runtime: envoy.wasm.runtime.v8, code: { local: { filename: build/no-such.wasm } } } }
          - name: envoy.filters.http.router
            typed_config: { "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router }
`,
    );
    const verdict = validateConfig(envoy!, broken, root);
    expect(verdict.ok).toBe(false);
    expect(verdict.output).toContain("build/no-such.wasm");
  });
});
