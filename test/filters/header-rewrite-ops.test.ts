// header-rewrite operations on headers, one test per operation and dedupe strategy, request and
// response (filters.md 3.1-3.5): Envoy's four append actions, in-place append, remove by name and
// by matcher, rename, copy, dedupe, and Envoy's rule that an empty value is not written.

import { describe, expect, it } from "vitest";
import { builds, load, respond, send, upstream, values } from "./header-rewrite/support.js";

const ops = (...request: object[]) => ({ rules: [{ request: { headers: request } }] });

describe.each(builds)("header-rewrite header operations (%s)", (wasm) => {
  const after = async (headers: [string, string][], ...operations: object[]) => {
    const plugin = await load(wasm, ops(...operations));
    expect(plugin.status, plugin.logMessages().join("\n")).toBe("running");
    return upstream(send(plugin, { headers })).filter(([k]) => !k.startsWith(":"));
  };

  it("add keeps existing values and adds an entry (APPEND_IF_EXISTS_OR_ADD)", async () => {
    expect(await after([["x-a", "1"]], { add: { name: "x-a", value: "2" } })).toEqual([
      ["x-a", "1"],
      ["x-a", "2"],
    ]);
  });

  it("add_if_absent adds only when the header is absent (ADD_IF_ABSENT)", async () => {
    expect(await after([["x-a", "1"]], { add_if_absent: { name: "x-a", value: "2" } })).toEqual([["x-a", "1"]]);
    expect(await after([], { add_if_absent: { name: "x-a", value: "2" } })).toEqual([["x-a", "2"]]);
  });

  it("set replaces every value or adds (OVERWRITE_IF_EXISTS_OR_ADD)", async () => {
    const headers: [string, string][] = [
      ["x-a", "1"],
      ["x-a", "2"],
    ];
    expect(await after(headers, { set: { name: "X-A", value: "3" } })).toEqual([["x-a", "3"]]);
    expect(await after([], { set: { name: "x-a", value: "3" } })).toEqual([["x-a", "3"]]);
  });

  it("overwrite_if_exists replaces only a present header (OVERWRITE_IF_EXISTS)", async () => {
    expect(await after([["x-a", "1"]], { overwrite_if_exists: { name: "x-a", value: "2" } })).toEqual([["x-a", "2"]]);
    expect(await after([], { overwrite_if_exists: { name: "x-a", value: "2" } })).toEqual([]);
  });

  it("append extends the value in place with a separator, or adds", async () => {
    const headers: [string, string][] = [["x-tags", "a"]];
    expect(await after(headers, { append: { name: "x-tags", value: "b" } })).toEqual([["x-tags", "a,b"]]);
    expect(await after(headers, { append: { name: "x-tags", value: "b", separator: "; " } })).toEqual([
      ["x-tags", "a; b"],
    ]);
    expect(await after([], { append: { name: "x-tags", value: "b" } })).toEqual([["x-tags", "b"]]);
  });

  it("does not write a value that renders empty, unless keep_empty_value", async () => {
    expect(await after([], { set: { name: "x-a", value: "%REQ(x-missing)%" } })).toEqual([]);
    expect(await after([], { set: { name: "x-a", value: "", keep_empty_value: true } })).toEqual([["x-a", ""]]);
  });

  it("remove removes every value", async () => {
    const headers: [string, string][] = [
      ["x-a", "1"],
      ["x-b", "2"],
      ["x-a", "3"],
    ];
    expect(await after(headers, { remove: "X-A" })).toEqual([["x-b", "2"]]);
  });

  it("remove_matching removes headers whose names match, by prefix or regex", async () => {
    // Matches side by side and a name repeated further on: every one of them goes.
    const headers: [string, string][] = [
      ["x-debug-a", "1"],
      ["x-debug-c", "5"],
      ["x-keep", "2"],
      ["x-debug-a", "6"],
      ["x-debug-b", "3"],
      ["trace-7", "4"],
    ];
    expect(await after(headers, { remove_matching: { prefix: "x-debug-" } })).toEqual([
      ["x-keep", "2"],
      ["trace-7", "4"],
    ]);
    expect(await after(headers, { remove_matching: { safe_regex: { regex: "trace-[0-9]+" } } })).toEqual(
      headers.slice(0, 5),
    );
  });

  it("rename moves every value to the new name, replacing it", async () => {
    const headers: [string, string][] = [
      ["x-old", "1"],
      ["x-new", "stale"],
      ["x-old", "2"],
    ];
    expect(await after(headers, { rename: { from: "x-old", to: "x-new" } })).toEqual([
      ["x-new", "1"],
      ["x-new", "2"],
    ]);
    expect(await after([["x-other", "1"]], { rename: { from: "x-old", to: "x-new" } })).toEqual([["x-other", "1"]]);
  });

  it("copy sets the target to the source's value, joined", async () => {
    const headers: [string, string][] = [
      ["x-user", "alice"],
      ["x-user", "bob"],
    ];
    expect(values(await after(headers, { copy: { from: "x-user", to: "x-principal" } }), "x-principal")).toEqual([
      "alice,bob",
    ]);
  });

  const dedupe: [string, [string, string][]][] = [
    ["RETAIN_FIRST", [["x-a", "1"]]],
    ["RETAIN_LAST", [["x-a", "1,3"]]],
    [
      "RETAIN_UNIQUE",
      [
        ["x-a", "1"],
        ["x-a", "2"],
        ["x-a", "1,3"],
      ],
    ],
    ["SPLIT_AND_RETAIN_FIRST", [["x-a", "1"]]],
    ["SPLIT_AND_RETAIN_LAST", [["x-a", "3"]]],
  ];

  it.each(dedupe)("dedupe %s (Higress transformer strategies)", async (strategy, expected) => {
    const headers: [string, string][] = [
      ["x-a", "1"],
      ["x-a", "2"],
      ["x-a", "1"],
      ["x-a", "1,3"],
    ];
    expect(await after(headers, { dedupe: { name: "x-a", strategy } })).toEqual(expected);
  });

  // The SDK encodes a host call's name and value into one reused area of 4 KB, and anything longer
  // into a buffer of its own: values on both sides of that size, multi-byte ones included, and a
  // short write after a long one must all arrive byte for byte.
  it("writes values longer than the SDK's argument area intact, and short ones after them", async () => {
    const long = "v".repeat(5_000);
    const wide = "é€".repeat(1_000);
    const edge = "e".repeat(4_096 - "x-edge".length);
    expect(
      await after(
        [],
        { set: { name: "x-long", value: long } },
        { add: { name: "x-wide", value: wide } },
        { set: { name: "x-edge", value: edge } },
        { set: { name: "x-short", value: "s" } },
      ),
    ).toEqual([
      ["x-long", long],
      ["x-wide", wide],
      ["x-edge", edge],
      ["x-short", "s"],
    ]);
  });

  it("applies response operations to the response, after the request's", async () => {
    const config = {
      rules: [
        {
          request: { headers: [{ set: { name: "x-req", value: "1" } }] },
          response: { headers: [{ remove: "server" }, { add: { name: "x-served-by", value: "envoy-as" } }] },
        },
      ],
    };
    const plugin = await load(wasm, config);
    const stream = send(plugin);
    expect(values(upstream(stream), "x-req")).toEqual(["1"]);
    expect(respond(stream, [["server", "nginx"]])).toEqual([
      [":status", "200"],
      ["x-served-by", "envoy-as"],
    ]);
  });
});
