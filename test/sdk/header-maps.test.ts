// Whole header maps through the SDK: HeaderMap.snapshot() copies one, HeaderMap.replaceAll()
// replaces one (proxy_get_header_map_pairs and proxy_set_header_map_pairs, abi.md 3.2, 5.2).
// Common names decode to shared constant strings; names one character off them must not. Long
// ASCII values take a widening path; values with any other character must decode the same.

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

  it("decodes values of every length, ASCII or not, as they were sent", async () => {
    const plugin = await Plugin.load(wasm);
    const stream = plugin.newHttpStream();
    const ascii = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7) % 94))).join("");
    const values = [31, 32, 33, 39, 40, 41, 1000].map(ascii);
    values.push(`${ascii(40)}é`, `é${ascii(40)}`, `${ascii(20)}€${ascii(20)}`, `${ascii(36)}😀${ascii(3)}`);
    const headers = values.map((v, i): [string, string] => [`x-v${i}`, v]);
    stream.sendRequestHeaders(
      [[":method", "GET"], [":path", "/"], [":authority", "shop.test"], ["x-gotcha", "rebuild"], ...headers],
      true,
    );
    expect(stream.upstreamRequest.headers!.all().slice(3, 3 + headers.length)).toEqual(headers);
  });
});
