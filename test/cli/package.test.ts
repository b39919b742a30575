// `envoy-as package`: the OCI image layout it writes is standard (checked by hand and, when installed,
// by skopeo), reproducible (same inputs, same bytes), and holds exactly plugin.wasm in one tar+gzip
// layer, the shape Istio's and Envoy Gateway's fetchers accept. GNU tar is the oracle for the tar code.

import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gzipReproducible } from "../../cli/oci/gzip.js";
import { LayoutError, readLayout, type ImageIndex, type ImageManifest } from "../../cli/oci/layout.js";
import { readTar, writeTar } from "../../cli/oci/tar.js";
import { packageCommand, packageFilter, sourceUrl } from "../../cli/package.js";

const work = mkdtempSync(join(tmpdir(), "envoy-as-package-"));
const SCHEMA = '{"type":"object"}\n';
const SOURCE = "https://example.test/envoy-as";
let counter = 0;

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A valid Wasm module: the header plus one custom section named `tag`, so modules can differ. */
function wasmModule(tag: string): Buffer {
  const name = Buffer.from(tag);
  return Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 0, name.length + 1, name.length]), name]);
}

/** A project root with one filter "demo" built to `wasm`. */
function project(wasm: Uint8Array | null = wasmModule("demo")): string {
  const root = join(work, `project-${counter++}`);
  mkdirSync(join(root, "filters", "demo"), { recursive: true });
  mkdirSync(join(root, "build"), { recursive: true });
  writeFileSync(
    join(root, "package.json"),
    JSON.stringify({ version: "1.2.3", license: "Apache-2.0", repository: { url: `git+${SOURCE}.git` } }),
  );
  writeFileSync(join(root, "filters", "demo", "config.schema.json"), SCHEMA);
  if (wasm) writeFileSync(join(root, "build", "demo.wasm"), wasm);
  return root;
}

function blob(dir: string, digest: string): Buffer {
  return readFileSync(join(dir, "blobs", "sha256", digest.replace("sha256:", "")));
}

function readImage(dir: string) {
  const index = JSON.parse(readFileSync(join(dir, "index.json"), "utf8")) as ImageIndex;
  const manifest = JSON.parse(blob(dir, index.manifests[0]!.digest).toString("utf8")) as ImageManifest;
  const config = JSON.parse(blob(dir, manifest.config.digest).toString("utf8")) as Record<string, unknown>;
  return { index, manifest, config, layer: blob(dir, manifest.layers[0]!.digest) };
}

/** Runs the command in-process, collecting its output. */
async function envoyAs(root: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await packageCommand(args, { root, out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

function gnuTar(...args: string[]): string {
  return execFileSync("tar", args, { encoding: "utf8" });
}

describe("envoy-as package: the image layout", () => {
  it("writes oci-layout, an index tagging one OCI image manifest with the version, and the three blobs", async () => {
    const root = project();
    const result = await packageFilter({ root, filter: "demo" });
    expect(result.layout).toBe(join(root, "build", "oci", "demo"));
    const dir = result.layout;
    expect(JSON.parse(readFileSync(join(dir, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const { index, manifest } = readImage(dir);
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    expect(index.manifests).toEqual([
      {
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: result.manifestDigest,
        size: blob(dir, result.manifestDigest).length,
        annotations: { "org.opencontainers.image.ref.name": "1.2.3" },
      },
    ]);
    expect(manifest.schemaVersion).toBe(2);
    expect(manifest.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
    expect(manifest.config.mediaType).toBe("application/vnd.oci.image.config.v1+json");
    expect(manifest.layers.map((layer) => layer.mediaType)).toEqual(["application/vnd.oci.image.layer.v1.tar+gzip"]);
    const referenced = [result.manifestDigest, manifest.config.digest, manifest.layers[0]!.digest];
    expect(readdirSync(join(dir, "blobs", "sha256")).sort()).toEqual(referenced.map((d) => d.slice(7)).sort());
  });

  it("stores every blob under its own sha256 with the size its descriptor gives", async () => {
    const { layout } = await packageFilter({ root: project(), filter: "demo" });
    for (const name of readdirSync(join(layout, "blobs", "sha256"))) {
      expect(sha256(readFileSync(join(layout, "blobs", "sha256", name)))).toBe(name);
    }
    const { index, manifest } = readImage(layout);
    for (const descriptor of [index.manifests[0]!, manifest.config, ...manifest.layers]) {
      expect(blob(layout, descriptor.digest).length).toBe(descriptor.size);
    }
  });

  it("gives the config the fields image-spec requires, with diff_ids hashing the uncompressed tar", async () => {
    const { layout } = await packageFilter({ root: project(), filter: "demo" });
    const { config, layer } = readImage(layout);
    expect(config).toEqual({
      architecture: "amd64",
      os: "linux",
      config: {},
      rootfs: { type: "layers", diff_ids: [`sha256:${sha256(gunzipSync(layer))}`] },
    });
  });

  it("puts exactly plugin.wasm, with the module's bytes, in the layer (read by GNU tar)", async () => {
    const wasm = wasmModule("exactly-this");
    const { layout } = await packageFilter({ root: project(wasm), filter: "demo" });
    const layerFile = join(layout, "blobs", "sha256", readImage(layout).manifest.layers[0]!.digest.slice(7));
    const listing = gnuTar("-tvzf", layerFile, "--utc").trim().split("\n");
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatch(new RegExp(`^-rw-r--r-- root/root +${wasm.length} 1970-01-01 00:00 plugin\\.wasm$`));
    const extracted = execFileSync("tar", ["-xOzf", layerFile, "plugin.wasm"]);
    expect(extracted.equals(wasm)).toBe(true);
  });

  it("annotates the manifest with variant, title, version, source, licence and the config schema digest", async () => {
    const { layout, annotations } = await packageFilter({ root: project(), filter: "demo" });
    const expected = {
      "module.wasm.image/variant": "compat",
      "org.opencontainers.image.title": "demo",
      "org.opencontainers.image.version": "1.2.3",
      "org.opencontainers.image.source": SOURCE,
      "org.opencontainers.image.licenses": "Apache-2.0",
      "dev.envoy-as.config-schema.digest": `sha256:${sha256(Buffer.from(SCHEMA))}`,
    };
    expect(readImage(layout).manifest.annotations).toEqual(expected);
    expect({ "module.wasm.image/variant": "compat", ...annotations }).toEqual(expected);
  });

  it("uses --version and --source over package.json, and tags the image with that version", async () => {
    const root = project();
    const { layout } = await packageFilter({
      root,
      filter: "demo",
      version: "v2.0.0-rc.1",
      source: "https://x.test/r",
    });
    const { index, manifest } = readImage(layout);
    expect(index.manifests[0]!.annotations).toEqual({ "org.opencontainers.image.ref.name": "v2.0.0-rc.1" });
    expect(manifest.annotations!["org.opencontainers.image.version"]).toBe("v2.0.0-rc.1");
    expect(manifest.annotations!["org.opencontainers.image.source"]).toBe("https://x.test/r");
  });

  it("packages a real filter build with the real config schema digest", async () => {
    const out = join(work, "header-rewrite");
    const result = await packageFilter({ root: process.cwd(), filter: "header-rewrite", out });
    const wasm = readFileSync(join("build", "header-rewrite.wasm"));
    expect(result.wasmSha256).toBe(sha256(wasm));
    const schema = readFileSync(join("filters", "header-rewrite", "config.schema.json"));
    expect(result.annotations["dev.envoy-as.config-schema.digest"]).toBe(`sha256:${sha256(schema)}`);
    const layer = readImage(out).layer;
    expect(readTar(gunzipSync(layer)).map((entry) => [entry.name, sha256(entry.data)])).toEqual([
      ["plugin.wasm", sha256(wasm)],
    ]);
  });
});

describe("envoy-as package: reproducibility", () => {
  it("writes byte-identical layouts for the same inputs in two directories", async () => {
    const root = project();
    const first = await packageFilter({ root, filter: "demo", out: "one" });
    const second = await packageFilter({ root: project(), filter: "demo", out: "two" });
    expect(second.manifestDigest).toBe(first.manifestDigest);
    for (const name of ["oci-layout", "index.json"]) {
      expect(readFileSync(join(second.layout, name))).toEqual(readFileSync(join(first.layout, name)));
    }
    expect(readdirSync(join(second.layout, "blobs", "sha256"))).toEqual(
      readdirSync(join(first.layout, "blobs", "sha256")),
    );
  });

  it("gives a different image digest for a different module, version or config schema", async () => {
    const base = (await packageFilter({ root: project(), filter: "demo" })).manifestDigest;
    const otherWasm = await packageFilter({ root: project(wasmModule("other")), filter: "demo" });
    const otherVersion = await packageFilter({ root: project(), filter: "demo", version: "1.2.4" });
    const schemaRoot = project();
    writeFileSync(join(schemaRoot, "filters", "demo", "config.schema.json"), '{"type":"string"}');
    const otherSchema = await packageFilter({ root: schemaRoot, filter: "demo" });
    const digests = [base, otherWasm.manifestDigest, otherVersion.manifestDigest, otherSchema.manifestDigest];
    expect(new Set(digests).size).toBe(4);
  });

  it("writes a gzip header with MTIME 0, no name, and OS byte 255", () => {
    const gzipped = gzipReproducible(Buffer.from("plugin"));
    // ID1 ID2 CM FLG | MTIME (4) | XFL OS, per RFC 1952 section 2.3.
    expect([...gzipped.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255]);
    expect(gunzipSync(gzipped).toString()).toBe("plugin");
  });

  it("replaces a layout already in the output directory rather than adding to it", async () => {
    const root = project();
    await packageFilter({ root, filter: "demo", version: "1.0.0" });
    const { layout } = await packageFilter({ root, filter: "demo", version: "1.0.1" });
    expect(readdirSync(join(layout, "blobs", "sha256"))).toHaveLength(3);
    expect(readImage(layout).index.manifests.map((m) => m.annotations)).toEqual([
      { "org.opencontainers.image.ref.name": "1.0.1" },
    ]);
  });
});

describe("envoy-as package: the command", () => {
  it("prints the layout path, the image digest for oci:// URLs and the plugin.wasm sha256 for http(s) URLs", async () => {
    const wasm = wasmModule("printed");
    const root = project(wasm);
    const { code, stdout, stderr } = await envoyAs(root, "demo", "--out=images/demo");
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const digest = readImage(join(root, "images", "demo")).index.manifests[0]!.digest;
    expect(stdout).toContain("packaged demo 1.2.3 as an OCI image layout: images/demo");
    expect(stdout).toContain(`image digest:        ${digest}`);
    expect(stdout).toContain(`code.image.sha256 = ${digest.slice(7)}`);
    expect(stdout).toContain(`plugin.wasm sha256:  ${sha256(wasm)}`);
  });

  it("notes a missing source URL on stderr but still packages", async () => {
    const root = project();
    writeFileSync(join(root, "package.json"), JSON.stringify({ version: "0.0.1" }));
    const { code, stderr } = await envoyAs(root, "demo");
    expect(code).toBe(0);
    expect(stderr).toContain("no org.opencontainers.image.source");
  });

  const failures: { name: string; args: string[]; setup?: (root: string) => void; code: number; message: string }[] = [
    { name: "an unknown filter", args: ["nope"], code: 1, message: "no such filter: nope (filters/ has: demo)" },
    { name: "a path as filter name", args: ["../demo"], code: 1, message: "no such filter: ../demo" },
    {
      name: "a build that is not Wasm",
      args: ["demo"],
      setup: (root) => writeFileSync(join(root, "build", "demo.wasm"), ""),
      code: 1,
      message: "build/demo.wasm is not a Wasm module",
    },
    {
      name: "a version that is not a tag",
      args: ["demo", "--version", "1.0.0+build"],
      code: 1,
      message: 'version "1.0.0+build" is not a valid image tag',
    },
    {
      name: "an output directory holding other files",
      args: ["demo", "--out", "filters"],
      code: 1,
      message: "is not empty and not an OCI image layout",
    },
    { name: "no filter", args: [], code: 2, message: "FILTER is required" },
    { name: "an unknown option", args: ["demo", "--push"], code: 2, message: "unknown option --push" },
    { name: "an option without its value", args: ["demo", "--out"], code: 2, message: "--out needs a value" },
  ];
  for (const failure of failures) {
    it(`refuses ${failure.name} with exit ${failure.code} and a clear message`, async () => {
      const root = project();
      failure.setup?.(root);
      const { code, stderr } = await envoyAs(root, ...failure.args);
      expect(code).toBe(failure.code);
      expect(stderr).toContain(failure.message);
    });
  }

  it("says how to build a filter whose build/<name>.wasm is missing", async () => {
    const { code, stderr } = await envoyAs(project(null), "demo");
    expect(code).toBe(1);
    expect(stderr).toBe("envoy-as package: build/demo.wasm not found: run `envoy-as build demo` first");
  });

  it.each([
    [{ repository: "git+https://github.com/o/r.git" }, "https://github.com/o/r"],
    [{ repository: { url: "https://gitlab.com/o/r" } }, "https://gitlab.com/o/r"],
    [{ repository: "github:o/r" }, "https://github.com/o/r"],
    [{ repository: "o/r" }, "https://github.com/o/r"],
    [{ homepage: "https://o.test" }, "https://o.test"],
    [{}, null],
  ])("derives the source URL from package.json %j", (pkg, url) => {
    expect(sourceUrl(pkg)).toBe(url);
  });
});

describe("readLayout", () => {
  it("returns the index, the manifest, its exact bytes and blob paths of a packaged filter", async () => {
    const { layout, manifestDigest } = await packageFilter({ root: project(), filter: "demo" });
    const read = await readLayout(layout, "1.2.3");
    expect(read.manifestDescriptor.digest).toBe(manifestDigest);
    expect(sha256(read.manifestBytes)).toBe(manifestDigest.slice(7));
    expect(read.manifest.layers).toHaveLength(1);
    expect(readFileSync(read.blobPath(read.manifest.config.digest)).length).toBe(read.manifest.config.size);
    expect((await readLayout(layout)).manifestDescriptor.digest).toBe(manifestDigest);
  });

  const broken: { name: string; damage: (dir: string, manifest: ImageManifest) => void; message: string }[] = [
    {
      name: "a layer whose bytes no longer match its digest",
      damage: (dir, m) => writeFileSync(join(dir, "blobs", "sha256", m.layers[0]!.digest.slice(7)), "x"),
      message: "has 1 bytes, its descriptor says",
    },
    {
      name: "a config changed in place",
      damage: (dir, m) => {
        const path = join(dir, "blobs", "sha256", m.config.digest.slice(7));
        writeFileSync(path, readFileSync(path, "utf8").replace("amd64", "arm64"));
      },
      message: "does not match its digest",
    },
    {
      name: "a missing oci-layout marker",
      damage: (dir) => writeFileSync(join(dir, "oci-layout"), ""),
      message: "oci-layout: not JSON",
    },
    {
      name: "an index that is not an image index",
      damage: (dir) => writeFileSync(join(dir, "index.json"), "[]"),
      message: "index.json: not a JSON object",
    },
  ];
  for (const { name, damage, message } of broken) {
    it(`rejects ${name}`, async () => {
      const { layout } = await packageFilter({ root: project(), filter: "demo" });
      damage(layout, readImage(layout).manifest);
      const error = await readLayout(layout).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LayoutError);
      expect((error as Error).message).toContain(message);
    });
  }

  it("rejects a tag the layout does not have, naming the tags it has", async () => {
    const { layout } = await packageFilter({ root: project(), filter: "demo" });
    await expect(readLayout(layout, "9.9.9")).rejects.toThrow('expected an image tagged "9.9.9", index.json has 1.2.3');
  });
});

describe("tar", () => {
  it("writes archives GNU tar extracts to the same files (property, GNU tar as oracle)", () => {
    const segment = fc.stringMatching(/^[a-z0-9_][a-z0-9._-]{0,20}$/);
    const file = fc.record({
      name: fc.array(segment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join("/")),
      data: fc.uint8Array({ maxLength: 1500 }),
    });
    const files = fc.uniqueArray(file, { minLength: 1, maxLength: 4, selector: (f) => f.name });
    let run = 0;
    fc.assert(
      fc.property(files, (entries) => {
        // No file may also be a directory of another one.
        fc.pre(entries.every((a) => entries.every((b) => !b.name.startsWith(a.name + "/"))));
        const dir = join(work, `tar-${run++}`);
        mkdirSync(dir);
        const archive = writeTar(entries);
        writeFileSync(join(dir, "archive.tar"), archive);
        mkdirSync(join(dir, "out"));
        gnuTar("-xf", join(dir, "archive.tar"), "-C", join(dir, "out"));
        for (const entry of entries) {
          expect(readFileSync(join(dir, "out", entry.name))).toEqual(Buffer.from(entry.data));
        }
        expect(readTar(archive).map((e) => [e.name, Buffer.from(e.data)])).toEqual(
          entries.map((e) => [e.name, Buffer.from(e.data)]),
        );
      }),
      { numRuns: 25 },
    );
  });

  it("splits a path longer than 100 bytes into ustar's prefix and name fields", () => {
    const name = `${"d".repeat(120)}/${"f".repeat(90)}`;
    const archive = writeTar([{ name, data: Buffer.from("long") }]);
    const path = join(work, "long.tar");
    writeFileSync(path, archive);
    expect(gnuTar("-tf", path).trim()).toBe(name);
    expect(readTar(archive)[0]!.name).toBe(name);
  });

  it.each(["", "/etc/passwd", "../up", "a//b", `${"x".repeat(101)}`])("refuses to write the path %j", (name) => {
    expect(() => writeTar([{ name, data: new Uint8Array() }])).toThrow(/tar: /);
  });

  it.each(["gnu", "pax", "ustar"])("reads long names and files from a GNU tar archive in %s format", (format) => {
    const dir = join(work, `gnu-${format}`);
    const long = "n".repeat(150);
    mkdirSync(join(dir, "src", "sub"), { recursive: true });
    writeFileSync(join(dir, "src", "sub", "plugin.wasm"), "module");
    writeFileSync(join(dir, "src", format === "ustar" ? "short" : long), "other");
    execFileSync("tar", [`--format=${format}`, "-cf", join(dir, "a.tar"), "-C", join(dir, "src"), "."]);
    const entries = readTar(readFileSync(join(dir, "a.tar")));
    const files = entries.filter((e) => e.type === "0").map((e) => [e.name, Buffer.from(e.data).toString()]);
    expect(files.sort()).toEqual(
      [
        ["./sub/plugin.wasm", "module"],
        [`./${format === "ustar" ? "short" : long}`, "other"],
      ].sort(),
    );
    expect(
      entries
        .filter((e) => e.type === "5")
        .map((e) => e.name)
        .sort(),
    ).toEqual(["./", "./sub/"]);
  });

  it("rejects a header whose checksum is wrong and an archive cut inside a block", () => {
    const archive = writeTar([{ name: "plugin.wasm", data: Buffer.from("abc") }]);
    const corrupt = Buffer.from(archive);
    corrupt[0] = 0x41;
    expect(() => readTar(corrupt)).toThrow("tar: bad header checksum at offset 0");
    expect(() => readTar(archive.subarray(0, 514))).toThrow("tar: truncated member");
    expect(() => readTar(archive.subarray(0, 1030))).toThrow("tar: archive ends inside a block");
  });
});

const skopeo = spawnSync("skopeo", ["--version"], { encoding: "utf8" }).status === 0;
if (!skopeo) console.log("package.test.ts: skopeo not installed (apt-get install -y skopeo); skipping its cross-check");

describe.skipIf(!skopeo)("skopeo reads the layout", () => {
  it("reports the same digest, layer and manifest bytes", async () => {
    const { layout, manifestDigest } = await packageFilter({ root: project(), filter: "demo" });
    const inspected = JSON.parse(execFileSync("skopeo", ["inspect", `oci:${layout}:1.2.3`], { encoding: "utf8" })) as {
      Digest: string;
      Layers: string[];
    };
    expect(inspected.Digest).toBe(manifestDigest);
    expect(inspected.Layers).toEqual([readImage(layout).manifest.layers[0]!.digest]);
    const raw = execFileSync("skopeo", ["inspect", "--raw", `oci:${layout}:1.2.3`]);
    expect(sha256(raw)).toBe(manifestDigest.slice(7));
  });
});
