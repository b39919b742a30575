// Whole header maps through the SDK: HeaderMap.snapshot() copies one, HeaderMap.replaceAll()
// replaces one (proxy_get_header_map_pairs and proxy_set_header_map_pairs, abi.md 3.2, 5.2).
// Common names decode to shared constant strings; names one character off them must not.

import { describe, expect, it } from "vitest";
import { Plugin } from "../../harness/index.js";
import { builds } from "./support.js";

describe.each(builds("gotchas"))("whole header maps (%s)", (wasm) => {
  it("replaceAll replaces every request header with the given entries, in order", async () => {
    const plugin = await Plugin.load(wasm);
    const stream = plugin.newHttpStream();
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "shop.test"],
        ["x-gotcha", "rebuild"],
        ["x-user", "ada"],
        ["x-gotcha-extra", "1"],
      ],
      true,
    );
    expect(stream.upstreamRequest.headers!.all()).toEqual([
      [":method", "GET"],
      [":path", "/"],
      [":authority", "shop.test"],
      ["x-user", "ada"],
      ["x-rebuilt", "4"],
    ]);
  });

  it("decodes common names and names one character off them alike", async () => {
    const plugin = await Plugin.load(wasm);
    const stream = plugin.newHttpStream();
    const names = ["cookie", "cookie2", "dat", "date", "user-agen", "user-agent", "x-request-i", "x-é", "accept"];
    stream.sendRequestHeaders(
      [
        [":method", "GET"],
        [":path", "/"],
        [":authority", "shop.test"],
        ["x-gotcha", "rebuild"],
        ...names.map((n): [string, string] => [n, n]),
      ],
      true,
    );
    expect(stream.upstreamRequest.headers!.all()).toEqual([
      [":method", "GET"],
      [":path", "/"],
      [":authority", "shop.test"],
      ...names.map((n) => [n, n]),
      ["x-rebuilt", "12"],
    ]);
  });
});
