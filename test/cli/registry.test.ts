// `envoy-as push` and `pull` against a real registry (Debian's docker-registry, CNCF Distribution 2.8)
// with skopeo as the reference client reading what we push and pushing what we pull; plus stub
// servers for the failures a registry can throw at us (5xx, refused connections, bad digests, 401s).
// Without docker-registry/skopeo/htpasswd the registry part is skipped (and fails under CI=true).

import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCredentials, parseChallenge } from "../../cli/oci/auth.js";
import { parseReference, registryOrigin } from "../../cli/oci/reference.js";
import { RegistryClient } from "../../cli/oci/registry.js";
import { pullCommand, pushCommand } from "../../cli/push.js";
import {
  forward,
  missingRegistryTools,
  sha256,
  startRegistry,
  startServer,
  type TestRegistry,
  tinyWasm,
  writeTestLayout,
} from "../support/registry.js";
import { freePort } from "../e2e/support/config.js";

const missing = missingRegistryTools();
if (missing !== null) {
  if (process.env.CI === "true") throw new Error(`registry tests cannot run under CI: ${missing}`);
  console.log(`skipping the docker-registry/skopeo tests: ${missing}`);
}

const work = mkdtempSync(join(tmpdir(), "envoy-as-registry-test-"));
let counter = 0;
const fresh = (name: string) => join(work, `${name}-${++counter}`);
const ALICE = { name: "alice", password: "wonderland" };

interface Outcome {
  code: number;
  out: string[];
  err: string[];
}

type Command = typeof pushCommand;

async function envoyAs(
  command: Command,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch; root?: string } = {},
): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const env = options.env ?? { DOCKER_CONFIG: join(work, "no-docker-config") };
  const code = await command(args, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    fetch: options.fetch,
    root: options.root,
  });
  return { code, out, err };
}

function layout(wasm = tinyWasm(`module ${counter}`, 2000), tag = "v1") {
  const dir = fresh("layout");
  return { dir, image: writeTestLayout(dir, wasm, tag), wasm };
}

function requestLog(log: string[]): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    log.push(`${init?.method ?? "GET"} ${url.pathname}`);
    return fetch(input, init);
  };
}

function expectOneLineError(outcome: Outcome, pattern: RegExp): void {
  expect(outcome.code).toBe(1);
  expect(outcome.err).toHaveLength(1);
  expect(outcome.err[0]).not.toContain("\n");
  expect(outcome.err[0]).toMatch(pattern);
}

// What a registry at `host` says `repository:tag` names now, through a client with `credentials`.
function tagDigest(host: string, repository: string, tag: string, credentials = null as typeof ALICE | null) {
  const ref = { registry: host, repository, tag, digest: null };
  const auth = credentials && { username: credentials.name, password: credentials.password, source: "test" };
  return new RegistryClient(ref, { credentials: auth }).manifestDigest(tag);
}

function skopeo(...args: string[]): string {
  return execFileSync("skopeo", ["--insecure-policy", ...args], { encoding: "utf8", stdio: "pipe" });
}

describe("image references", () => {
  const hex = "a".repeat(64);
  it.each([
    ["127.0.0.1:5000/filters/jwt-authn:v1", "127.0.0.1:5000", "filters/jwt-authn", "v1", null],
    ["localhost/a", "localhost", "a", null, null],
    ["ghcr.io/org/filter", "ghcr.io", "org/filter", null, null],
    [`ghcr.io/org/filter:1.0@sha256:${hex}`, "ghcr.io", "org/filter", "1.0", `sha256:${hex}`],
    ["[::1]:5000/a/b_c:latest", "[::1]:5000", "a/b_c", "latest", null],
  ])("parses %s", (text, registry, repository, tag, digest) => {
    expect(parseReference(text)).toEqual({ registry, repository, tag, digest });
  });

  it.each([
    ["filters/jwt:v1", /start the reference with the registry host/],
    ["jwt", /start the reference with the registry host/],
    ["ghcr.io/Org/filter:v1", /not a valid repository name/],
    ["ghcr.io/org/filter:-v1", /not a valid tag/],
    ["ghcr.io/org/filter@sha256:abc", /digest must be sha256/],
  ])("rejects %s", (text, reason) => {
    expect(parseReference(text)).toMatch(reason);
  });

  it.each([
    ["127.0.0.1:5000", false, "http://127.0.0.1:5000"],
    ["127.8.9.10", false, "http://127.8.9.10"],
    ["localhost:5000", false, "http://localhost:5000"],
    ["[::1]:5000", false, "http://[::1]:5000"],
    ["ghcr.io", false, "https://ghcr.io"],
    ["10.0.0.5:5000", false, "https://10.0.0.5:5000"],
    ["10.0.0.5:5000", true, "http://10.0.0.5:5000"],
  ])("talks to %s (--insecure %s) at %s", (registry, insecure, origin) => {
    expect(registryOrigin(registry, insecure)).toBe(origin);
  });

  it("goes over https to a registry that is not loopback, and plain http only with --insecure", async () => {
    const seen: string[] = [];
    const refuse: typeof fetch = (input) => {
      seen.push(String(input));
      return Promise.reject(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }));
    };
    const { dir } = layout();
    const secure = await envoyAs(pushCommand, ["--layout", dir, "registry.example:5000/a:v1"], { fetch: refuse });
    const insecure = await envoyAs(pushCommand, ["--layout", dir, "registry.example:5000/a:v1", "--insecure"], {
      fetch: refuse,
    });
    expect(seen[0]).toMatch(/^https:\/\/registry\.example:5000\/v2\/a\/blobs\/sha256:/);
    expect(seen[1]).toMatch(/^http:\/\/registry\.example:5000\/v2\/a\/blobs\/sha256:/);
    expectOneLineError(secure, /^envoy-as push: check blob sha256:[0-9a-f]{12}: connection refused \(https:/);
    expectOneLineError(insecure, /connection refused \(http:\/\/registry\.example:5000\)$/);
  });
});

describe("credentials", () => {
  const dockerConfig = (auths: unknown) => {
    const dir = fresh("docker");
    mkdirSync(dir);
    writeFileSync(join(dir, "config.json"), JSON.stringify({ auths }));
    return dir;
  };
  const base64 = (text: string) => Buffer.from(text).toString("base64");

  it("prefers ENVOY_AS_REGISTRY_USERNAME/PASSWORD over Docker's config file", () => {
    const DOCKER_CONFIG = dockerConfig({ "r.example": { auth: base64("docker:pw") } });
    const env = { ENVOY_AS_REGISTRY_USERNAME: "env", ENVOY_AS_REGISTRY_PASSWORD: "secret", DOCKER_CONFIG };
    expect(findCredentials("r.example", env)).toMatchObject({ username: "env", password: "secret" });
  });

  it.each([
    ["r.example:5000", { auth: base64("bob:pa:ss") }, { username: "bob", password: "pa:ss" }],
    ["https://r.example:5000/v1/", { auth: base64("bob:x") }, { username: "bob", password: "x" }],
    ["http://r.example:5000", { username: "carol", password: "y" }, { username: "carol", password: "y" }],
  ])("reads auths[%j] of $DOCKER_CONFIG/config.json", (key, entry, expected) => {
    const DOCKER_CONFIG = dockerConfig({ [key]: entry, "other.example": { auth: base64("no:no") } });
    expect(findCredentials("r.example:5000", { DOCKER_CONFIG })).toMatchObject({
      ...expected,
      source: join(DOCKER_CONFIG, "config.json"),
    });
  });

  it("has none for a registry the config does not list, or without a config", () => {
    const DOCKER_CONFIG = dockerConfig({ "r.example": { auth: base64("bob:x") } });
    expect(findCredentials("r.example:5000", { DOCKER_CONFIG })).toBeNull();
    expect(findCredentials("r.example", { DOCKER_CONFIG: join(work, "absent") })).toBeNull();
  });

  it("refuses half of the environment pair", () => {
    expect(() => findCredentials("r.example", { ENVOY_AS_REGISTRY_USERNAME: "x" })).toThrow(
      "read credentials: set both ENVOY_AS_REGISTRY_USERNAME and ENVOY_AS_REGISTRY_PASSWORD, or neither",
    );
  });

  it.each([
    ['Basic realm="test-realm"', { scheme: "basic", params: { realm: "test-realm" } }],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      {
        scheme: "bearer",
        params: {
          realm: "https://auth.docker.io/token",
          service: "registry.docker.io",
          scope: "repository:samalba/my-app:pull,push",
        },
      },
    ],
    [
      "Bearer realm=https://t.example/token, service=reg",
      { scheme: "bearer", params: { realm: "https://t.example/token", service: "reg" } },
    ],
  ])("parses the challenge %s", (header, expected) => {
    expect(parseChallenge(header)).toEqual(expected);
  });
});

describe("registry failures, against stub servers", () => {
  it("names the step and the status when the registry answers 5xx", async () => {
    const stub = await startServer((_request, _body, response) => {
      response.writeHead(503, { "content-type": "text/plain" }).end("maintenance until noon");
    });
    const push = await envoyAs(pushCommand, ["--layout", layout().dir, `${stub.host}/a:v1`]);
    const pull = await envoyAs(pullCommand, [`${stub.host}/a:v1`, "--wasm-out", fresh("w.wasm")]);
    await stub.close();
    expectOneLineError(
      push,
      /^envoy-as push: check blob sha256:[0-9a-f]{12}: registry answered 503 Service Unavailable$/,
    );
    expectOneLineError(
      pull,
      /^envoy-as pull: get manifest v1: registry answered 503 Service Unavailable: maintenance until noon$/,
    );
  });

  it("says connection refused when nothing listens", async () => {
    const port = await freePort();
    const outcome = await envoyAs(pullCommand, [`127.0.0.1:${port}/a:v1`, "--out", fresh("out")]);
    expectOneLineError(
      outcome,
      new RegExp(`^envoy-as pull: get manifest v1: connection refused \\(http://127\\.0\\.0\\.1:${port}\\)$`),
    );
  });

  it("rejects a registry that confirms a manifest under another digest", async () => {
    const stub = await startServer((request, _body, response) => {
      if (request.method === "HEAD" && request.url!.includes("/blobs/")) return void response.writeHead(200).end();
      if (request.method === "HEAD") return void response.writeHead(404).end();
      response.writeHead(201, { "docker-content-digest": `sha256:${"0".repeat(64)}` }).end();
    });
    const { dir, image } = layout();
    const outcome = await envoyAs(pushCommand, ["--layout", dir, `${stub.host}/a:v1`]);
    await stub.close();
    expectOneLineError(
      outcome,
      new RegExp(
        `^envoy-as push: put manifest v1: digest mismatch: the registry stored sha256:0{64}, we sent ${image.manifestDigest}$`,
      ),
    );
  });

  it("does not send credentials it does not have when the registry asks for them", async () => {
    const stub = await startServer((_request, _body, response) => {
      response.writeHead(401, { "www-authenticate": 'Basic realm="stub"' }).end();
    });
    const outcome = await envoyAs(pullCommand, [`${stub.host}/a:v1`, "--out", fresh("out")]);
    await stub.close();
    expectOneLineError(outcome, /^envoy-as pull: get manifest v1: 401 Unauthorized: the registry needs credentials/);
    expect(stub.requests).toEqual(["GET /v2/a/manifests/v1"]);
  });
});

describe.skipIf(missing !== null)("push and pull against docker-registry, checked with skopeo", () => {
  let open: TestRegistry;
  let locked: TestRegistry;

  beforeAll(async () => {
    [open, locked] = await Promise.all([startRegistry({ relativeUrls: true }), startRegistry({ user: ALICE })]);
  });
  afterAll(async () => {
    await Promise.all([open?.stop(), locked?.stop()]);
  });

  it("pulls back exactly what it pushed: same manifest digest, blobs and plugin.wasm", async () => {
    const { dir, image, wasm } = layout();
    const ref = `${open.host}/filters/round-trip:v1`;
    const push = await envoyAs(pushCommand, ["--layout", dir, ref]);
    expect(push.err).toEqual([]);
    expect(push.code).toBe(0);
    expect(push.out).toContain(`  image digest:        ${image.manifestDigest}`);
    expect(push.out).toContain(`  plugin.wasm sha256:  ${image.wasmSha256}`);
    expect(push.out.filter((line) => line.endsWith("uploaded"))).toHaveLength(2);

    const out = fresh("pulled");
    const wasmOut = fresh("plugin.wasm");
    const pull = await envoyAs(pullCommand, [ref, "--out", out, "--wasm-out", wasmOut]);
    expect(pull.code).toBe(0);
    expect(pull.out).toContain(`  image digest:        ${image.manifestDigest}`);
    expect(readFileSync(wasmOut)).toEqual(wasm);
    const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8")) as {
      manifests: { digest: string; annotations: object }[];
    };
    expect(index.manifests).toMatchObject([
      { digest: image.manifestDigest, annotations: { "org.opencontainers.image.ref.name": "v1" } },
    ]);
    for (const digest of [image.manifestDigest, ...image.blobDigests]) {
      const hex = digest.slice("sha256:".length);
      expect(readFileSync(join(out, "blobs", "sha256", hex))).toEqual(readFileSync(join(dir, "blobs", "sha256", hex)));
    }
  });

  it("pushes images skopeo reads with the same digest, and pulls what skopeo pushes", async () => {
    const { dir, image, wasm } = layout();
    const ref = `${open.host}/filters/skopeo-check:v2`;
    expect((await envoyAs(pushCommand, ["--layout", dir, ref])).code).toBe(0);
    const inspected = JSON.parse(skopeo("inspect", "--tls-verify=false", `docker://${ref}`)) as { Digest: string };
    expect(inspected.Digest).toBe(image.manifestDigest);
    expect(`sha256:${sha256(Buffer.from(skopeo("inspect", "--raw", "--tls-verify=false", `docker://${ref}`)))}`).toBe(
      image.manifestDigest,
    );
    const copied = fresh("skopeo-oci");
    skopeo("copy", "--src-tls-verify=false", `docker://${ref}`, `oci:${copied}:v2`);
    const index = JSON.parse(readFileSync(join(copied, "index.json"), "utf8")) as { manifests: { digest: string }[] };
    expect(index.manifests.map((entry) => entry.digest)).toEqual([image.manifestDigest]);

    const theirs = `${open.host}/filters/pushed-by-skopeo:v3`;
    skopeo("copy", "--preserve-digests", "--dest-tls-verify=false", `oci:${dir}:v1`, `docker://${theirs}`);
    const wasmOut = fresh("plugin.wasm");
    const pull = await envoyAs(pullCommand, [theirs, "--wasm-out", wasmOut]);
    expect(pull.code).toBe(0);
    expect(pull.out).toContain(`  image digest:        ${image.manifestDigest}`);
    expect(readFileSync(wasmOut)).toEqual(wasm);
  });

  it("uploads nothing on a second push of the same image", async () => {
    const { dir } = layout();
    const ref = `${open.host}/filters/twice:v1`;
    expect((await envoyAs(pushCommand, ["--layout", dir, ref])).code).toBe(0);
    const requests: string[] = [];
    const again = await envoyAs(pushCommand, ["--layout", dir, ref], { fetch: requestLog(requests) });
    expect(again.code).toBe(0);
    expect(requests.filter((line) => !line.startsWith("HEAD "))).toEqual([]);
    expect(requests).toHaveLength(3);
    expect(again.out.filter((line) => /^ {2}(blob|manifest) .* already present/.test(line))).toHaveLength(3);
    expect(again.out).toContain(`pushed ${ref}: 0 sent, 3 already present`);
  });

  it("packages and pushes a built filter, tagged with REF's tag", async () => {
    const root = fresh("project");
    mkdirSync(join(root, "build"), { recursive: true });
    copyFileSync("package.json", join(root, "package.json"));
    copyFileSync("build/header-rewrite.wasm", join(root, "build", "header-rewrite.wasm"));
    cpSync("filters/header-rewrite", join(root, "filters", "header-rewrite"), { recursive: true });
    const ref = `${open.host}/filters/header-rewrite:0.9.0`;
    const push = await envoyAs(pushCommand, ["header-rewrite", ref], { root });
    expect(push.err).toEqual([]);
    expect(push.code).toBe(0);
    const digest = JSON.parse(skopeo("inspect", "--tls-verify=false", `docker://${ref}`)) as { Digest: string };
    expect(push.out).toContain(`  image digest:        ${digest.Digest}`);
    expect(push.out).toContain(`  plugin.wasm sha256:  ${sha256(readFileSync("build/header-rewrite.wasm"))}`);
    const wasmOut = fresh("plugin.wasm");
    expect((await envoyAs(pullCommand, [ref, "--wasm-out", wasmOut])).code).toBe(0);
    expect(readFileSync(wasmOut)).toEqual(readFileSync("build/header-rewrite.wasm"));
  });

  it("pushes to a Basic-auth registry with credentials from the environment or Docker's config", async () => {
    const { dir, image } = layout();
    const viaEnv = await envoyAs(pushCommand, ["--layout", dir, `${locked.host}/filters/basic:env`], {
      env: { ENVOY_AS_REGISTRY_USERNAME: ALICE.name, ENVOY_AS_REGISTRY_PASSWORD: ALICE.password },
    });
    expect(viaEnv.err).toEqual([]);
    const DOCKER_CONFIG = fresh("docker");
    mkdirSync(DOCKER_CONFIG);
    const auth = Buffer.from(`${ALICE.name}:${ALICE.password}`).toString("base64");
    writeFileSync(join(DOCKER_CONFIG, "config.json"), JSON.stringify({ auths: { [locked.host]: { auth } } }));
    const viaDocker = await envoyAs(pullCommand, [`${locked.host}/filters/basic:env`, "--out", fresh("out")], {
      env: { DOCKER_CONFIG },
    });
    expect(viaDocker.err).toEqual([]);
    expect(viaDocker.out).toContain(`  image digest:        ${image.manifestDigest}`);
  });

  it("runs as `envoy-as push` and `pull` from the command line, with credentials from the environment", () => {
    const { dir, image, wasm } = layout();
    const ref = `${locked.host}/filters/cli:v1`;
    const env = {
      ...process.env,
      ENVOY_AS_REGISTRY_USERNAME: ALICE.name,
      ENVOY_AS_REGISTRY_PASSWORD: ALICE.password,
      DOCKER_CONFIG: join(work, "no-docker-config"),
    };
    const cli = (...args: string[]) =>
      spawnSync(join("node_modules", ".bin", "tsx"), ["cli/main.ts", ...args], { encoding: "utf8", env });
    const push = cli("push", "--layout", dir, ref);
    expect(push.stderr).toBe("");
    expect(push.status).toBe(0);
    expect(push.stdout).toContain(`image digest:        ${image.manifestDigest}`);
    const wasmOut = fresh("plugin.wasm");
    const pull = cli("pull", ref, "--wasm-out", wasmOut);
    expect(pull.status).toBe(0);
    expect(readFileSync(wasmOut)).toEqual(wasm);
    const anonymous = spawnSync(
      join("node_modules", ".bin", "tsx"),
      ["cli/main.ts", "pull", ref, "--out", fresh("o")],
      {
        encoding: "utf8",
        env: { ...env, ENVOY_AS_REGISTRY_USERNAME: undefined, ENVOY_AS_REGISTRY_PASSWORD: undefined },
      },
    );
    expect(anonymous.status).toBe(1);
    expect(anonymous.stderr.trim()).toMatch(
      /^envoy-as pull: get manifest v1: 401 Unauthorized: the registry needs credentials/,
    );
  });

  it("fails with one line on wrong or missing credentials and leaves no tag", async () => {
    const ref = `${locked.host}/filters/denied:v1`;
    const wrong = await envoyAs(pushCommand, ["--layout", layout().dir, ref], {
      env: { ENVOY_AS_REGISTRY_USERNAME: ALICE.name, ENVOY_AS_REGISTRY_PASSWORD: "guess" },
    });
    expectOneLineError(
      wrong,
      /^envoy-as push: check blob sha256:[0-9a-f]{12}: 401 Unauthorized: the registry refused the credentials of "alice" \(from ENVOY_AS_REGISTRY_USERNAME\)$/,
    );
    const none = await envoyAs(pushCommand, ["--layout", layout().dir, ref]);
    expectOneLineError(none, /401 Unauthorized: the registry needs credentials \(set ENVOY_AS_REGISTRY_USERNAME/);
    expect(await tagDigest(locked.host, "filters/denied", "v1", ALICE)).toBeNull();
  });

  it("follows a Bearer challenge: fetches a pull,push token with Basic credentials, then retries", async () => {
    const scopes: string[] = [];
    const basic = `Basic ${Buffer.from(`${ALICE.name}:${ALICE.password}`).toString("base64")}`;
    const gate = await startServer(async (request, body, response) => {
      if (request.url!.startsWith("/token")) {
        scopes.push(new URL(request.url!, "http://token").searchParams.get("scope") ?? "");
        if (request.headers.authorization !== basic) return void response.writeHead(401).end();
        return void response.writeHead(200, { "content-type": "application/json" }).end('{"token":"t0k3n"}');
      }
      if (request.headers.authorization !== "Bearer t0k3n") {
        const challenge = `Bearer realm="http://${request.headers.host}/token",service="gate"`;
        return void response.writeHead(401, { "www-authenticate": challenge }).end();
      }
      await forward(open.host, request, body, response);
    });
    const { dir, image } = layout();
    const ref = `${gate.host}/filters/bearer:v1`;
    const ok = await envoyAs(pushCommand, ["--layout", dir, ref], {
      env: { ENVOY_AS_REGISTRY_USERNAME: ALICE.name, ENVOY_AS_REGISTRY_PASSWORD: ALICE.password },
    });
    const wrong = await envoyAs(pushCommand, ["--layout", dir, `${gate.host}/filters/bearer:v2`], {
      env: { ENVOY_AS_REGISTRY_USERNAME: ALICE.name, ENVOY_AS_REGISTRY_PASSWORD: "guess" },
    });
    await gate.close();
    expect(ok.err).toEqual([]);
    expect(ok.out).toContain(`  image digest:        ${image.manifestDigest}`);
    expect(scopes[0]).toBe("repository:filters/bearer:pull,push");
    expect(gate.requests.filter((line) => line.startsWith("GET /token"))).toHaveLength(2);
    expect(await tagDigest(open.host, "filters/bearer", "v1")).toBe(image.manifestDigest);
    expectOneLineError(
      wrong,
      new RegExp(
        `^envoy-as push: check blob sha256:[0-9a-f]{12} \\(token\\): token server http://${gate.host} refused the credentials of "alice" \\(401\\)$`,
      ),
    );
  });

  it("leaves no tag when the registry dies after the first blob", async () => {
    const doomed = await startRegistry();
    const { dir, image } = layout();
    let killed = false;
    const killAfterFirstBlob: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!killed && init?.method === "PUT" && String(input).includes("digest=") && response.status === 201) {
        killed = true;
        await doomed.stop(true);
      }
      return response;
    };
    const outcome = await envoyAs(pushCommand, ["--layout", dir, `${doomed.host}/filters/half:v1`], {
      fetch: killAfterFirstBlob,
    });
    expect(killed).toBe(true);
    expectOneLineError(
      outcome,
      /^envoy-as push: check blob sha256:[0-9a-f]{12}: connection refused \(http:\/\/127\.0\.0\.1:\d+\)$/,
    );

    const revived = await startRegistry({ storage: doomed.storage });
    try {
      const client = new RegistryClient({
        registry: revived.host,
        repository: "filters/half",
        tag: null,
        digest: null,
      });
      expect(await client.hasBlob(image.blobDigests[0]!)).toBe(true);
      expect(await client.hasBlob(image.blobDigests[1]!)).toBe(false);
      expect(await client.manifestDigest("v1")).toBeNull();
    } finally {
      await revived.stop();
    }
  });

  it("leaves no tag when the manifest PUT fails with 500", async () => {
    const proxy = await startServer(async (request, body, response) => {
      if (request.method === "PUT" && request.url!.includes("/manifests/")) {
        const error = { errors: [{ code: "UNKNOWN", message: "storage backend unavailable" }] };
        return void response.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify(error));
      }
      await forward(open.host, request, body, response);
    });
    const outcome = await envoyAs(pushCommand, ["--layout", layout().dir, `${proxy.host}/filters/no-manifest:v1`]);
    await proxy.close();
    expectOneLineError(
      outcome,
      /^envoy-as push: put manifest v1: registry answered 500 Internal Server Error \(UNKNOWN: storage backend unavailable\)$/,
    );
    expect(await tagDigest(open.host, "filters/no-manifest", "v1")).toBeNull();
  });

  it("refuses a blob whose bytes do not match its digest on pull, and writes no module", async () => {
    const { dir } = layout();
    const ref = `filters/corrupt:v1`;
    expect((await envoyAs(pushCommand, ["--layout", dir, `${open.host}/${ref}`])).code).toBe(0);
    const proxy = await startServer((request, body, response) =>
      forward(open.host, request, body, response, (bytes) =>
        request.url!.includes("/blobs/") && bytes.length > 0
          ? Buffer.concat([bytes.subarray(0, -1), Buffer.from([bytes.at(-1)! ^ 1])])
          : bytes,
      ),
    );
    const wasmOut = fresh("never.wasm");
    const outcome = await envoyAs(pullCommand, [`${proxy.host}/${ref}`, "--wasm-out", wasmOut]);
    await proxy.close();
    expectOneLineError(
      outcome,
      /^envoy-as pull: get blob sha256:[0-9a-f]{12}: digest mismatch: the bytes hash to sha256:[0-9a-f]{64}$/,
    );
    expect(() => readFileSync(wasmOut)).toThrow();
  });

  it("says which manifest it could not find", async () => {
    const outcome = await envoyAs(pullCommand, [`${open.host}/filters/nothing:v9`, "--out", fresh("out")]);
    expectOneLineError(
      outcome,
      /^envoy-as pull: get manifest v9: not found \(registry answered 404 Not Found \((MANIFEST_UNKNOWN|NAME_UNKNOWN): /,
    );
  });
});

describe("command line", () => {
  it.each([
    [pushCommand, [], /^envoy-as push: expected FILTER and REF\nusage: envoy-as push /],
    [pushCommand, ["--layout", "x"], /^envoy-as push: expected REF\n/],
    [pushCommand, ["jwt-authn", "jwt:v1"], /^envoy-as push: "jwt:v1": start the reference with the registry host/],
    [pullCommand, ["127.0.0.1:5000/a:v1"], /^envoy-as pull: expected REF and --out DIR or --wasm-out FILE\n/],
    [pullCommand, ["127.0.0.1:5000/a:v1", "--out"], /^envoy-as pull: --out needs a value\n/],
    [pullCommand, ["127.0.0.1:5000/a:v1", "--wasm-out", "x", "--tls"], /^envoy-as pull: unknown option --tls\n/],
  ] as [Command, string[], RegExp][])("exits 2 with usage for %#", async (command, args, message) => {
    const outcome = await envoyAs(command, args);
    expect(outcome.code).toBe(2);
    expect(outcome.err.join("\n")).toMatch(message);
  });

  it("reports a directory that is not an OCI layout", async () => {
    const outcome = await envoyAs(pushCommand, ["--layout", work, "127.0.0.1:1/a:v1"]);
    expectOneLineError(outcome, /^envoy-as push: read layout: .* is not an OCI image layout \(no oci-layout file\)$/);
  });
});
