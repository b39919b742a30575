// TCP cases: the tcp fixture as a network filter in front of tcp_proxy. Each case is a
// conversation (writes, the upstream's reply, half closes), and the fixture acts on the text.

import { type FidelityCase, type FidelitySetup } from "../types.js";

export const tcp: FidelitySetup = { name: "tcp", wasm: "build/fixtures/tcp.wasm", network: true };

const talk = (name: string, writes: string[], reply = ""): FidelityCase => ({ name, writes, reply });

export const tcpCases: FidelityCase[] = [
  talk("passes bytes both ways and closes in Envoy's order", ["hello"], "world"),
  talk("uppercases the client's bytes", ["make it upper"], "ok"),
  talk("wraps the client's bytes with a prepend and an append", ["wrap me"], "ok"),
  talk("grows the upstream's reply", ["hi"], "grow"),
  talk("sees each write in its own callback", ["one", "two", "three"], "ack"),
  talk("connects and half-closes without data", []),
  talk("holds the client's bytes with StopIteration and sees them again with the next write", ["hold", "more"]),
  talk("continues the downstream from its own callback", ["resume"], "resumed"),
  talk("closes the downstream connection from the filter", ["close"]),
  talk("closes the upstream connection from the filter", ["close-up"]),
  talk("treats an unknown data status as StopIteration", ["bad", "after"]),
  talk("continues the upstream direction from the upstream callback", ["go"], "continue-upstream"),
  talk("holds the upstream's reply", ["go"], "hold the reply"),
  talk("passes a larger write", ["x".repeat(4000)], "y".repeat(100)),
];
