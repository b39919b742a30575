// `envoy-as validate`: the offline check against Envoy's API protos accepts every shipped bootstrap
// and names the path of each kind of mistake; where Envoy is installed, Envoy's own `--mode validate`
// reaches the same verdict on every shipped file and every mistake the protos can see.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  envoyErrorLine,
  type EnvoyValidator,
  findEnvoyValidator,
  validateCommand,
  validateConfig,
} from "../../cli/validate.js";

const work = mkdtempSync(join(tmpdir(), "envoy-as-validate-"));
const shipped = readdirSync("envoy-configs")
  .filter((name) => name.endsWith(".yaml"))
  .map((name) => join("envoy-configs", name));
const HCM = "static_resources.listeners[0].filter_chains[0].filters[0].typed_config";
const WASM = `${HCM}.http_filters[0].typed_config.config`;

interface Variant {
  name: string;
  base: string;
  from: string;
  to: string;
  /** The problem lines the offline check reports; empty for a variant that is valid. */
  problems: string[];
  /** Set for a mistake only envoy-as sees: Envoy accepts a filter naming a cluster in its JSON. */
  beyondEnvoy?: true;
}

const variants: Variant[] = [
  {
    name: "a misspelled field deep in the Wasm config",
    base: "header-rewrite",
    from: "runtime:",
    to: "runtme:",
    problems: [`${WASM}.vm_config.runtme: unknown field (did you mean "runtime"?)`],
  },
  {
    name: "a number where a string belongs",
    base: "header-rewrite",
    from: "stat_prefix: ingress_http",
    to: "stat_prefix: 5",
    problems: [`${HCM}.stat_prefix: expected a string, got number 5`],
  },
  {
    name: "a duration without its unit",
    base: "header-rewrite",
    from: "connect_timeout: 1s",
    to: "connect_timeout: 1",
    problems: [`static_resources.clusters[0].connect_timeout: expected a duration such as "1s" or "0.25s", got 1`],
  },
  {
    name: "a fractional port",
    base: "header-rewrite",
    from: "port_value: 8081",
    to: "port_value: 80.5",
    problems: [
      "static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value: " +
        "expected an integer (uint32), got number 80.5",
    ],
  },
  {
    name: "an enum value that does not exist",
    base: "header-rewrite",
    from: "type: STATIC",
    to: "type: STATIK",
    problems: [`static_resources.clusters[0].type: unknown DiscoveryType value "STATIK" (did you mean "STATIC"?)`],
  },
  {
    name: "a string where a BoolValue wrapper belongs",
    base: "header-rewrite",
    from: "stat_prefix: ingress_http",
    to: "stat_prefix: ingress_http\n                normalize_path: enabled",
    problems: [`${HCM}.normalize_path: expected a bool, got string "enabled"`],
  },
  {
    name: "an unknown @type",
    base: "header-rewrite",
    from: "router.v3.Router",
    to: "router.v3.Routr",
    problems: [
      `${HCM}.http_filters[1].typed_config.@type: unknown type ` +
        `"type.googleapis.com/envoy.extensions.filters.http.router.v3.Routr"`,
    ],
  },
  {
    name: "a v2 type Envoy no longer reads",
    base: "header-rewrite",
    from: "envoy.extensions.filters.http.router.v3.Router",
    to: "envoy.config.filter.http.router.v2.Router",
    problems: [
      `${HCM}.http_filters[1].typed_config.@type: unknown type ` +
        `"type.googleapis.com/envoy.config.filter.http.router.v2.Router" (Envoy reads only v3 API types)`,
    ],
  },
  {
    name: "two members of one oneof",
    base: "header-rewrite",
    from: "route: { cluster: upstream }",
    to: "route: { cluster: upstream, cluster_header: x-cluster }",
    problems: [
      `${HCM}.route_config.virtual_hosts[0].routes[0].route: "cluster" and "cluster_header" are both set, ` +
        `but only one member of oneof "cluster_specifier" may be`,
    ],
  },
  {
    name: "a missing Wasm file",
    base: "header-rewrite",
    from: "filename: build/header-rewrite.wasm",
    to: "filename: build/missing.wasm",
    problems: [
      `${WASM}.vm_config.code.local.filename: Wasm file "build/missing.wasm" does not exist (relative to ${process.cwd()})`,
    ],
  },
  {
    name: "a route to an undefined cluster",
    base: "header-rewrite",
    from: "route: { cluster: upstream }",
    to: "route: { cluster: nowhere }",
    problems: [
      `${HCM}.route_config.virtual_hosts[0].routes[0].route.cluster: cluster "nowhere" is not defined in static_resources.clusters`,
    ],
  },
  {
    name: "a JWKS fetch from an undefined cluster",
    base: "jwt-authn-remote",
    from: `"cluster": "idp"`,
    to: `"cluster": "idp-typo"`,
    problems: [
      `${WASM}.configuration.value.providers.idp.remote_jwks.http_uri.cluster: ` +
        `cluster "idp-typo" is not defined in static_resources.clusters`,
    ],
    beyondEnvoy: true,
  },
  {
    name: "an ext_authz provider on an undefined cluster",
    base: "abac-authz",
    from: `"cluster": "ext-authz"`,
    to: `"cluster": "authz"`,
    problems: [
      `${WASM}.configuration.value.extension_providers[0].envoyExtAuthzHttp.cluster: ` +
        `cluster "authz" is not defined in static_resources.clusters`,
    ],
    beyondEnvoy: true,
  },
  {
    name: "lowerCamelCase field names, as protobuf JSON allows",
    base: "header-rewrite",
    from: "vm_config:",
    to: "vmConfig:",
    problems: [],
  },
  {
    name: "wrappers given as plain values and a fractional duration",
    base: "header-rewrite",
    from: "connect_timeout: 1s",
    to: "connect_timeout: 1.5s\n      per_connection_buffer_limit_bytes: 32768\n      respect_dns_ttl: true",
    problems: [],
  },
];

function variantFile(variant: Variant): string {
  const text = readFileSync(join("envoy-configs", `${variant.base}.yaml`), "utf8");
  expect(text.split(variant.from)).toHaveLength(2);
  const path = join(work, `${variant.name.replace(/\W+/g, "-")}.yaml`);
  writeFileSync(path, text.replace(variant.from, variant.to));
  return path;
}

function captured() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, io: { out: (text: string) => lines.out.push(text), err: (text: string) => lines.err.push(text) } };
}

describe("validate offline, against Envoy's API protos", () => {
  it.each(shipped)("accepts the shipped %s", (config) => {
    expect(validateConfig(config, null).problems).toEqual([]);
  });

  it.each(variants)("reports $name by its path", (variant) => {
    expect(validateConfig(variantFile(variant), null).problems).toEqual(variant.problems);
  });
});

describe("envoy-as validate", () => {
  const failingEnvoy: EnvoyValidator = {
    how: "stub Envoy",
    run: () => ({ ok: false, error: "error initializing configuration 'x': bad" }),
  };

  it("prints OK and how it checked, exiting 0, without looking for Envoy under --offline", () => {
    const { lines, io } = captured();
    const code = validateCommand(["envoy-configs/header-rewrite.yaml", "--offline"], io, () => failingEnvoy);
    expect(code).toBe(0);
    expect(lines.out).toEqual([
      "envoy-as validate: envoy-configs/header-rewrite.yaml OK (offline, against Envoy's API protos)",
    ]);
  });

  it("prints one line per problem and exits 1", () => {
    const file = variantFile(variants[0]!);
    const { lines, io } = captured();
    expect(validateCommand([file, "--offline"], io)).toBe(1);
    expect(lines.err).toEqual(variants[0]!.problems.map((problem) => `${file}: ${problem}`));
  });

  it("reports Envoy's error line and the reference checks when Envoy refuses the file", () => {
    const file = variantFile(variants.find((variant) => variant.name === "a route to an undefined cluster")!);
    const { lines, io } = captured();
    expect(validateCommand([file], io, () => failingEnvoy)).toBe(1);
    expect(lines.err[0]).toBe(`${file}: envoy: error initializing configuration 'x': bad`);
    expect(lines.err[1]).toContain(`cluster "nowhere" is not defined`);
  });

  it("says which Envoy accepted the file", () => {
    const { lines, io } = captured();
    const passing: EnvoyValidator = { how: "stub Envoy", run: () => ({ ok: true, error: "" }) };
    expect(validateCommand(["envoy-configs/telemetry.yaml"], io, () => passing)).toBe(0);
    expect(lines.out).toEqual(["envoy-as validate: envoy-configs/telemetry.yaml OK (stub Envoy)"]);
  });

  it.each([[[]], [["a.yaml", "b.yaml"]], [["a.yaml", "--strict"]]])("exits 2 on bad usage %j", (args) => {
    const { lines, io } = captured();
    expect(validateCommand(args, io)).toBe(2);
    expect(lines.err[0]).toMatch(/^envoy-as validate: /);
  });

  it("keeps only the reason from Envoy's log line, without the JSON dump", () => {
    // Shape of Envoy 1.40's output for a fractional port (recorded from `func-e run --mode validate`).
    const output =
      "[2026-11-27 13:43:48.068][17139][info][main] starting\n" +
      "[2026-11-27 13:43:48.068][17139][critical][main] [source/server/config_validation/server.cc:76] " +
      "error initializing configuration 'p.yaml': Unable to parse JSON as proto (INVALID_ARGUMENT: invalid JSON in  " +
      'X @ a.port_value:  uint32): {"static_resources":{}}\n';
    expect(envoyErrorLine(output)).toBe(
      "error initializing configuration 'p.yaml': Unable to parse JSON as proto (INVALID_ARGUMENT: invalid JSON in X @ a.port_value: uint32)",
    );
  });
});

const envoy = findEnvoyValidator();
if (!envoy && process.env["CI"] === "true") {
  throw new Error("CI=true but no working Envoy was found: .ci/run must install func-e and Envoy 1.40.0");
}
const skipReason = envoy
  ? ""
  : " (skipped: no working Envoy: neither $ENVOY_BIN, `envoy` nor `func-e run` on PATH answered --version)";
if (!envoy) console.log(`validate.test.ts: Envoy comparison${skipReason}`);

describe.skipIf(!envoy)(`agrees with Envoy's own --mode validate${skipReason}`, () => {
  it.each(shipped)(
    "Envoy accepts the shipped %s, as the offline check does",
    (config) => {
      expect(envoy!.run(config, process.cwd())).toEqual({ ok: true, error: "" });
    },
    60_000,
  );

  it.each(variants)(
    "Envoy's verdict on $name matches the offline one",
    (variant) => {
      const file = variantFile(variant);
      const offlineAccepts = variant.problems.length === 0;
      const verdict = envoy!.run(file, process.cwd());
      expect(verdict.ok, verdict.error).toBe(offlineAccepts || variant.beyondEnvoy === true);
      expect(validateConfig(file, null).problems.length === 0).toBe(offlineAccepts);
      expect(validateConfig(file, envoy).problems.length === 0).toBe(offlineAccepts);
    },
    60_000,
  );
});
