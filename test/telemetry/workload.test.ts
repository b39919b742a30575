// Istio node and peer metadata for the telemetry filter: Node and Struct bytes built by a tiny
// protobuf encoder below, the label fallbacks of istio/proxy metadata_object.cc and istio/istio
// pkg/kube/labels CanonicalService, malformed input that must never trap, the SDK's ProtoReader on
// wire-format edge cases, and standard base64 against Node's Buffer.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { library } from "../crypto/support.js";

interface WorkloadLib {
  fromNodeHex(hex: string): string;
  fromStructHex(hex: string): string;
  fromPeerHeader(value: string): string;
  readFields(hex: string, start: number, end: number): string;
  mismatchedAccessorsAreEmpty(hex: string): boolean;
  firstDouble(hex: string): number;
  firstString(hex: string): string;
  embeddedFields(hex: string): string;
  decodeBase64Hex(text: string): string;
  encodeBase64Hex(hex: string): string;
}

const lib = await library<WorkloadLib>("workload", "telemetry");

// --- A minimal protobuf encoder (proto3 wire format) ---

type Bytes = number[];
type StructValue = string | number | boolean | null | StructValue[] | { [key: string]: StructValue };

const varint = (value: bigint | number): Bytes => {
  let n = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  return [...out, Number(n)];
};
const tag = (field: number, wireType: number): Bytes => varint(BigInt(field) * 8n + BigInt(wireType));
const lengthDelimited = (field: number, bytes: Bytes): Bytes => [...tag(field, 2), ...varint(bytes.length), ...bytes];
const utf8 = (text: string): Bytes => [...new TextEncoder().encode(text)];
const text = (field: number, value: string): Bytes => lengthDelimited(field, utf8(value));
const double = (field: number, value: number): Bytes => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value, true);
  return [...tag(field, 1), ...new Uint8Array(view.buffer)];
};

// google.protobuf.Value and Struct.
const value = (v: StructValue): Bytes => {
  if (v === null) return [...tag(1, 0), 0];
  if (typeof v === "number") return double(2, v);
  if (typeof v === "string") return text(3, v);
  if (typeof v === "boolean") return [...tag(4, 0), v ? 1 : 0];
  if (Array.isArray(v))
    return lengthDelimited(
      6,
      v.flatMap((item) => lengthDelimited(1, value(item))),
    );
  return lengthDelimited(5, struct(v));
};
const entry = (key: string, encodedValue: Bytes): Bytes =>
  lengthDelimited(1, [...text(1, key), ...lengthDelimited(2, encodedValue)]);
const struct = (fields: Record<string, StructValue>): Bytes =>
  Object.entries(fields).flatMap(([key, v]) => entry(key, value(v)));
// envoy.config.core.v3.Node: 1 id, 2 cluster, 3 metadata.
const node = (metadata: Record<string, StructValue>): Bytes => [
  ...text(1, "sidecar~10.1.2.3~reviews-v1-7d9f.default~default.svc.cluster.local"),
  ...text(2, "reviews.default"),
  ...lengthDelimited(3, struct(metadata)),
];

const hex = (bytes: Bytes | Uint8Array): string => Buffer.from(bytes).toString("hex");
const base64 = (bytes: Bytes): string => Buffer.from(bytes).toString("base64");

// The entry's `key=value` lines as an object (labels under "labels.<key>"); null for "null".
const parse = (rendered: string): Record<string, string> | null => {
  if (rendered === "null") return null;
  return Object.fromEntries(
    rendered.split("\n").map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1)];
    }),
  );
};
const EMPTY = {
  name: "",
  namespace: "",
  workload: "",
  app: "",
  version: "",
  canonicalService: "",
  canonicalRevision: "",
  cluster: "",
  serviceAccount: "",
};
const fromStructEntries = (entries: [string, Bytes][]) =>
  parse(lib.fromStructHex(hex(entries.flatMap(([key, encoded]) => entry(key, encoded)))));
const fromStruct = (fields: Record<string, StructValue>) => parse(lib.fromStructHex(hex(struct(fields))));

describe("workloadFromNode (xds.node)", () => {
  // Metadata as istio-agent sends it for a Kubernetes pod (keys of istio/istio pkg/model/context.go).
  const metadata: Record<string, StructValue> = {
    NAME: "reviews-v1-7d9f",
    NAMESPACE: "default",
    CLUSTER_ID: "Kubernetes",
    MESH_ID: "cluster.local",
    WORKLOAD_NAME: "reviews-v1",
    OWNER: "kubernetes://apis/apps/v1/namespaces/default/deployments/reviews-v1",
    SERVICE_ACCOUNT: "bookinfo-reviews",
    APP_CONTAINERS: "reviews",
    INSTANCE_IPS: "10.1.2.3",
    PLATFORM_METADATA: { gcp_project: "demo" },
    ISTIO_VERSION: "1.24.0",
    LABELS: {
      app: "reviews",
      version: "v1",
      "pod-template-hash": "7d9f",
      "service.istio.io/canonical-name": "reviews",
      "service.istio.io/canonical-revision": "v1",
    },
  };

  it("reads every identity key and the pod labels", () => {
    expect(parse(lib.fromNodeHex(hex(node(metadata))))).toEqual({
      name: "reviews-v1-7d9f",
      namespace: "default",
      workload: "reviews-v1",
      app: "reviews",
      version: "v1",
      canonicalService: "reviews",
      canonicalRevision: "v1",
      cluster: "Kubernetes",
      serviceAccount: "bookinfo-reviews",
      "labels.app": "reviews",
      "labels.pod-template-hash": "7d9f",
      "labels.service.istio.io/canonical-name": "reviews",
      "labels.service.istio.io/canonical-revision": "v1",
      "labels.version": "v1",
    });
  });

  it("skips Node fields other than metadata, including unknown ones of every wire type", () => {
    const bytes = [
      ...lengthDelimited(4, [...text(1, "us-east1"), ...text(2, "us-east1-b")]), // locality
      ...text(6, "envoy"), // user_agent_name
      ...tag(99, 0),
      ...varint(2n ** 63n),
      ...tag(98, 5),
      1,
      2,
      3,
      4,
      ...double(97, 1.5),
      ...node({ NAMESPACE: "default" }),
    ];
    expect(parse(lib.fromNodeHex(hex(bytes)))).toEqual({ ...EMPTY, namespace: "default" });
  });

  it("merges metadata split over several Node metadata fields, as protobuf merges a repeated message", () => {
    const bytes = [...node({ NAMESPACE: "a", NAME: "pod" }), ...lengthDelimited(3, struct({ NAMESPACE: "b" }))];
    expect(parse(lib.fromNodeHex(hex(bytes)))).toMatchObject({ name: "pod", namespace: "b" });
  });

  it("gives an empty workload for an empty Node or one without metadata", () => {
    expect(parse(lib.fromNodeHex(""))).toEqual(EMPTY);
    expect(parse(lib.fromNodeHex(hex(text(1, "id"))))).toEqual(EMPTY);
  });

  it("keeps what was read before a truncated or corrupt Node", () => {
    const good = node({ NAMESPACE: "default" });
    const truncated = [...good, ...lengthDelimited(3, struct({ NAME: "pod" }))].slice(0, -2);
    expect(parse(lib.fromNodeHex(hex(truncated)))).toEqual({ ...EMPTY, namespace: "default" });
    expect(parse(lib.fromNodeHex(hex([...good, ...tag(7, 3)])))).toEqual({ ...EMPTY, namespace: "default" });
  });
});

describe("label fallbacks (istio/proxy metadata_object.cc, istio/istio pkg/kube/labels)", () => {
  const CANONICAL_NAME = "service.istio.io/canonical-name";
  const CANONICAL_REVISION = "service.istio.io/canonical-revision";
  it.each([
    [
      "all labels present",
      { app: "a", version: "v", [CANONICAL_NAME]: "cn", [CANONICAL_REVISION]: "cr" },
      "a",
      "v",
      "cn",
      "cr",
    ],
    ["no canonical labels: app and version stand in", { app: "a", version: "v" }, "a", "v", "a", "v"],
    ["no labels: workload name and latest", {}, "", "", "reviews-v1", "latest"],
    [
      "qualified app and version labels",
      { "app.kubernetes.io/name": "qa", "app.kubernetes.io/version": "qv" },
      "qa",
      "qv",
      "qa",
      "qv",
    ],
    [
      "qualified labels win over app and version",
      { app: "a", version: "v", "app.kubernetes.io/name": "qa", "app.kubernetes.io/version": "qv" },
      "qa",
      "qv",
      "qa",
      "qv",
    ],
    ["an empty qualified label falls back", { app: "a", "app.kubernetes.io/name": "" }, "a", "", "a", "latest"],
    ["canonical labels without app labels", { [CANONICAL_NAME]: "cn", [CANONICAL_REVISION]: "cr" }, "", "", "cn", "cr"],
    ["canonical name only", { [CANONICAL_NAME]: "cn" }, "", "", "cn", "latest"],
    ["canonical revision only", { [CANONICAL_REVISION]: "cr" }, "", "", "reviews-v1", "cr"],
  ])("%s", (_, labels, app, version, canonicalService, canonicalRevision) => {
    const w = fromStruct({ WORKLOAD_NAME: "reviews-v1", LABELS: labels });
    expect(w).toMatchObject({ app, version, canonicalService, canonicalRevision, workload: "reviews-v1" });
  });

  it("leaves the canonical revision unknown when there is no service to version", () => {
    expect(fromStruct({ NAMESPACE: "default" })).toEqual({ ...EMPTY, namespace: "default" });
    expect(fromStruct({ LABELS: { version: "v2" } })).toMatchObject({ canonicalService: "", canonicalRevision: "v2" });
  });
});

describe("Struct values", () => {
  it("ignores identity keys whose value is not a string", () => {
    const w = fromStruct({
      NAME: 42,
      NAMESPACE: true,
      CLUSTER_ID: null,
      WORKLOAD_NAME: ["reviews-v1"],
      SERVICE_ACCOUNT: { name: "sa" },
    });
    expect(w).toEqual(EMPTY);
  });

  it("keeps only the string labels and ignores LABELS that is not a Struct", () => {
    const labels = { app: "reviews", replicas: 3, canary: false, none: null, list: ["x"], nested: { a: "b" } };
    expect(fromStruct({ LABELS: labels })).toEqual({
      ...EMPTY,
      app: "reviews",
      canonicalService: "reviews",
      canonicalRevision: "latest",
      "labels.app": "reviews",
    });
    expect(fromStruct({ LABELS: "app=reviews" })).toEqual(EMPTY);
    expect(fromStruct({ LABELS: ["app"] })).toEqual(EMPTY);
  });

  it("reads keys and values as UTF-8, empty strings included", () => {
    expect(fromStruct({ NAMESPACE: "équipe-数据", NAME: "", LABELS: { "": "empty-key", é: "" } })).toEqual({
      ...EMPTY,
      namespace: "équipe-数据",
      "labels.": "empty-key",
      "labels.é": "",
    });
  });

  it("lets a later map entry replace an earlier one with the same key, as protobuf maps do", () => {
    const bytes = [
      ...entry("NAMESPACE", value("first")),
      ...entry("NAMESPACE", value("second")),
      ...entry("NAME", value("pod")),
      ...entry("NAME", value(7)),
      ...entry("LABELS", value({ app: "old", keep: "no" })),
      ...entry("LABELS", value({ app: "new" })),
    ];
    expect(parse(lib.fromStructHex(hex(bytes)))).toEqual({
      ...EMPTY,
      namespace: "second",
      app: "new",
      canonicalService: "new",
      canonicalRevision: "latest",
      "labels.app": "new",
    });
  });

  it("takes the last member set in a Value (a oneof) and treats a member of the wrong wire type as unknown", () => {
    const stringThenNumber = [...text(3, "ns"), ...double(2, 1)];
    const numberThenString = [...double(2, 1), ...text(3, "ns")];
    const stringThenVarint3 = [...text(3, "ns"), ...tag(3, 0), 5];
    expect(fromStructEntries([["NAMESPACE", stringThenNumber]])).toMatchObject({ namespace: "" });
    expect(fromStructEntries([["NAMESPACE", numberThenString]])).toMatchObject({ namespace: "ns" });
    expect(fromStructEntries([["NAMESPACE", stringThenVarint3]])).toMatchObject({ namespace: "ns" });
  });

  it("skips unknown fields in the Struct, its entries and its Values", () => {
    const bytes = [
      ...tag(2, 0),
      1,
      ...text(15, "unknown"),
      ...lengthDelimited(1, [
        ...tag(3, 0),
        9,
        ...text(1, "NAMESPACE"),
        ...text(9, "x"),
        ...lengthDelimited(2, value("ns")),
      ]),
      ...entry("NAME", [...tag(7, 0), 1, ...text(3, "pod"), ...double(8, 2)]),
    ];
    expect(parse(lib.fromStructHex(hex(bytes)))).toEqual({ ...EMPTY, namespace: "ns", name: "pod" });
  });

  it('treats an entry without a value as an unset Value and one without a key as key ""', () => {
    const bytes = [...lengthDelimited(1, text(1, "NAMESPACE")), ...lengthDelimited(1, lengthDelimited(2, value("x")))];
    expect(parse(lib.fromStructHex(hex(bytes)))).toEqual(EMPTY);
  });
});

describe("malformed metadata never traps", () => {
  const full = struct({
    NAME: "pod",
    NAMESPACE: "ns",
    WORKLOAD_NAME: "wl",
    CLUSTER_ID: "c1",
    SERVICE_ACCOUNT: "sa",
    LABELS: { app: "a", version: "v" },
  });
  const RAW_FIELDS = ["name", "namespace", "workload", "cluster", "serviceAccount"] as const;

  it("reads every prefix of a Struct into a subset of the full result", () => {
    const complete = parse(lib.fromStructHex(hex(full)))!;
    for (let cut = 0; cut <= full.length; cut++) {
      const partial = parse(lib.fromStructHex(hex(full.slice(0, cut))))!;
      for (const field of RAW_FIELDS) expect([complete[field], ""]).toContain(partial[field]);
      for (const [key, v] of Object.entries(partial)) if (key.startsWith("labels.")) expect(complete[key]).toBe(v);
    }
  });

  it("turns random bytes into a workload (Struct and Node) without trapping", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(Object.keys(parse(lib.fromStructHex(hex(bytes)))!)).toEqual(expect.arrayContaining(Object.keys(EMPTY)));
        expect(Object.keys(parse(lib.fromNodeHex(hex(bytes)))!)).toEqual(expect.arrayContaining(Object.keys(EMPTY)));
      }),
      { numRuns: 500 },
    );
  });

  it("survives random corruption of a valid Struct, in a Node and in a peer header", () => {
    fc.assert(
      fc.property(fc.nat(full.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const corrupt = [...full];
        corrupt[at] = byte;
        expect(lib.fromStructHex(hex(corrupt))).toContain("name=");
        expect(lib.fromNodeHex(hex(lengthDelimited(3, corrupt)))).toContain("name=");
        expect(lib.fromPeerHeader(base64(corrupt))).toMatch(/^(null|name=)/);
      }),
      { numRuns: 500 },
    );
  });
});

describe("workloadFromPeerHeader (x-envoy-peer-metadata)", () => {
  const peer = struct({
    NAME: "productpage-v1-6b7fd",
    NAMESPACE: "default",
    WORKLOAD_NAME: "productpage-v1",
    CLUSTER_ID: "Kubernetes",
    LABELS: { app: "productpage", version: "v1" },
  });
  const expected = {
    name: "productpage-v1-6b7fd",
    namespace: "default",
    workload: "productpage-v1",
    app: "productpage",
    version: "v1",
    canonicalService: "productpage",
    canonicalRevision: "v1",
    cluster: "Kubernetes",
    serviceAccount: "",
    "labels.app": "productpage",
    "labels.version": "v1",
  };

  it("reads base64 of a Struct with and without padding", () => {
    const padded = base64(peer);
    expect(padded).toMatch(/[^=]==$/);
    expect(parse(lib.fromPeerHeader(padded))).toEqual(expected);
    expect(parse(lib.fromPeerHeader(padded.replace(/=+$/, "")))).toEqual(expected);
  });

  it.each([
    ["an empty value", ""],
    ["base64url characters", base64(peer).replace(/\+/g, "-").replace(/\//g, "_") + "-_"],
    ["whitespace", " " + base64(peer)],
    ["a length of 4n+1", base64(peer).replace(/=+$/, "") + "AAAAA"],
    ["a truncated Struct", base64(peer.slice(0, -3))],
    ["a group wire type", base64([...peer, ...tag(5, 3)])],
    ["a malformed label entry", base64(entry("LABELS", lengthDelimited(5, [...tag(1, 2), 9, 1])))],
    ["a varint longer than 10 bytes", base64([...tag(1, 0), ...Array(10).fill(0xff), 1])],
  ])("returns null for %s", (_, header) => {
    expect(lib.fromPeerHeader(header)).toBe("null");
  });

  it("accepts a well-formed message whose fields are not Struct entries as an empty workload", () => {
    expect(parse(lib.fromPeerHeader(base64([...tag(1, 0), 1])))).toEqual(EMPTY);
  });
});

describe("ProtoReader", () => {
  it.each([
    [0n, "00"],
    [1n, "01"],
    [127n, "7f"],
    [128n, "8001"],
    [16383n, "ff7f"],
    [16384n, "808001"],
    [2n ** 32n - 1n, "ffffffff0f"],
    [2n ** 63n, "80808080808080808001"],
    [2n ** 64n - 1n, "ffffffffffffffffff01"],
  ])("reads varint %s from %s", (expected, encoded) => {
    expect(hex(varint(expected))).toBe(encoded);
    expect(lib.readFields("08" + encoded, 0, 1 + encoded.length / 2)).toBe(`1:0:${expected}`);
  });

  it("takes the value of a 10-byte varint mod 2^64", () => {
    expect(lib.readFields("08" + "ff".repeat(9) + "7f", 0, 11)).toBe(`1:0:${2n ** 64n - 1n}`);
  });

  it.each([
    ["an 11-byte varint", "08" + "80".repeat(10) + "00"],
    ["a truncated varint", "08ff"],
    ["a truncated tag", "80"],
    ["field number 0", "0001"],
    ["wire type 3 (start group)", "0b"],
    ["wire type 4 (end group)", "0c"],
    ["wire type 6", "0e"],
    ["wire type 7", "0f"],
    ["a length past the end", "0a05616263"],
    ["a huge length", "0affffffff0f61"],
    ["a truncated fixed64", "09010203"],
    ["a truncated fixed32", "0d0102"],
  ])("stops with an error on %s", (_, encoded) => {
    expect(
      lib
        .readFields(encoded, 0, encoded.length / 2)
        .split("\n")
        .at(-1),
    ).toBe("error");
  });

  it("reads the fields before the damage", () => {
    const encoded = "0801" + "12026869" + "1a09";
    expect(lib.readFields(encoded, 0, 6)).toBe("1:0:1\n2:2:6869");
    expect(lib.readFields(encoded, 0, 8)).toBe("1:0:1\n2:2:6869\nerror");
  });

  it("reads fixed64, fixed32 and length-delimited values and large field numbers", () => {
    const bytes = [
      ...double(1, -2.5),
      ...tag(2, 5),
      0x78,
      0x56,
      0x34,
      0x12,
      ...text(536870911, "abc"),
      ...lengthDelimited(3, []),
    ];
    const bits = new DataView(new Uint8Array(bytes.slice(1, 9)).buffer).getBigUint64(0, true);
    expect(lib.readFields(hex(bytes), 0, bytes.length)).toBe(
      `1:1:${bits}\n2:5:${0x12345678}\n536870911:2:616263\n3:2:`,
    );
  });

  it("refuses field numbers above 2^29 - 1", () => {
    const encoded = hex(varint(2 ** 29 * 8));
    expect(lib.readFields(encoded + "00", 0, encoded.length / 2 + 1)).toBe("error");
  });

  it.each([0, -0, 1.5, -2.5e-300, Number.MAX_VALUE, Infinity, -Infinity])("reads double %s from fixed64 bits", (x) => {
    expect(Object.is(lib.firstDouble(hex(double(2, x))), x)).toBe(true);
  });

  it("decodes UTF-8 strings, including invalid UTF-8, without trapping", () => {
    expect(lib.firstString(hex(text(3, "héllo ✓ 😀")))).toBe("héllo ✓ 😀");
    expect(typeof lib.firstString(hex(lengthDelimited(3, [0xff, 0xc3, 0xf0, 0x9f])))).toBe("string");
  });

  it("reads only inside the given range, and refuses a range outside the bytes", () => {
    const encoded = "0801" + "0802" + "0803";
    expect(lib.readFields(encoded, 2, 4)).toBe("1:0:2");
    expect(lib.readFields(encoded, 6, 6)).toBe("");
    expect(lib.readFields(encoded, 4, 2)).toBe("error");
    expect(lib.readFields(encoded, -1, 2)).toBe("error");
    expect(lib.readFields(encoded, 0, 7)).toBe("error");
  });

  it("bounds an embedded message by its length", () => {
    const inner = [...tag(1, 0), 1, ...text(2, "x")];
    expect(lib.embeddedFields(hex([...lengthDelimited(4, inner), ...tag(9, 0), 1]))).toBe("1:0\n2:2");
    expect(lib.embeddedFields(hex(lengthDelimited(4, [...tag(1, 2), 5, 1])))).toBe("error");
    expect(lib.embeddedFields(hex([...tag(1, 0), 1]))).toBe("");
  });

  it("gives 0 or empty from an accessor that does not match the wire type", () => {
    const bytes = [...tag(1, 0), 5, ...double(2, 1), ...tag(3, 5), 1, 0, 0, 0, ...text(4, "abc")];
    expect(lib.mismatchedAccessorsAreEmpty(hex(bytes))).toBe(true);
  });

  it("never traps on random bytes and ranges", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.integer({ min: -2, max: 70 }),
        fc.integer({ min: -2, max: 70 }),
        (bytes, start, end) => {
          expect(typeof lib.readFields(hex(bytes), start, end)).toBe("string");
          expect(lib.mismatchedAccessorsAreEmpty(hex(bytes))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("standard base64", () => {
  // RFC 4648 section 10.
  it.each([
    ["", ""],
    ["f", "Zg=="],
    ["fo", "Zm8="],
    ["foo", "Zm9v"],
    ["foob", "Zm9vYg=="],
    ["fooba", "Zm9vYmE="],
    ["foobar", "Zm9vYmFy"],
  ])("encodes and decodes the RFC 4648 vector %j", (plain, encoded) => {
    expect(lib.encodeBase64Hex(hex(utf8(plain)))).toBe(encoded);
    expect(lib.decodeBase64Hex(encoded)).toBe(hex(utf8(plain)));
    expect(lib.decodeBase64Hex(encoded.replace(/=+$/, ""))).toBe(hex(utf8(plain)));
  });

  it("uses + and / for 62 and 63", () => {
    expect(lib.encodeBase64Hex("fbff")).toBe("+/8=");
    expect(lib.decodeBase64Hex("+/8=")).toBe("fbff");
  });

  it.each([
    ["a lone pad", "Zg="],
    ["three pads", "Z==="],
    ["four pads", "===="],
    ["padding in the middle", "Zg==Zm9v"],
    ["padding after a whole group", "Zm9v===="],
    ["base64url's -", "-_8="],
    ["whitespace", "Zm9v Yg=="],
    ["a trailing newline", "Zm9v\n"],
    ["a length of 4n+1", "Zm9vY"],
    ["non-zero trailing bits after one byte", "Zh=="],
    ["non-zero trailing bits after two bytes", "Zm9="],
    ["a non-ASCII character", "Zm9v\u00e9g=="],
  ])("rejects %s", (_, input) => {
    expect(lib.decodeBase64Hex(input)).toBe("null");
  });

  it("agrees with Node's Buffer in both directions, padded and unpadded", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const encoded = Buffer.from(bytes).toString("base64");
        expect(lib.encodeBase64Hex(hex(bytes))).toBe(encoded);
        expect(lib.decodeBase64Hex(encoded)).toBe(hex(bytes));
        expect(lib.decodeBase64Hex(encoded.replace(/=+$/, ""))).toBe(hex(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("decodes whatever it accepts to the bytes Buffer decodes", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."AZaz09+/=-_ \u00e9".split("")), maxLength: 16 }), (input) => {
        const decoded = lib.decodeBase64Hex(input);
        if (decoded !== "null") expect(decoded).toBe(Buffer.from(input, "base64").toString("hex"));
      }),
      { numRuns: 1000 },
    );
  });
});
