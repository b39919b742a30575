// The ports tests and benchmarks hand to Envoy, the dev proxy and their upstreams: the system hands
// a port that was closed a moment ago out again (10-19 repeats in 500 asks on this machine), so one
// plan's admin port and listener could share a port and the second bind would fail.

import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "./support/config.js";

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("freePort", () => {
  it("never returns a port it returned before in the same process", async () => {
    const ports: number[] = [];
    for (let i = 0; i < 500; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });

  it("returns a port that can be bound on 127.0.0.1", async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await bindable(port)).toBe(true);
  });
});
