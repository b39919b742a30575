// Every setup and its cases, in the order the suite runs them.

import { type FidelityCase, type FidelitySetup } from "../types.js";
import { bodies, bodiesCases } from "./bodies.js";
import { callouts, calloutsCases, gotchas, gotchasCases } from "./callouts.js";
import { chainCases, chainReply, chainTag } from "./chain.js";
import { trapCases, trapClosed, trapOpen, trapReload, trapReloadCases } from "./failures.js";
import { headerRewrite, headerRewriteCases, probe, probeCases, probeLevels, probeLevelsCases } from "./headers.js";
import { metrics, metricsCases } from "./metrics.js";
import { bufferStatus, moduleSetups } from "./modules.js";
import { peerCases, peerSetups } from "./peers.js";
import { properties, propertiesCases } from "./properties.js";
import { scenarioSetups } from "./scenarios.js";
import { shared, sharedCases } from "./shared.js";
import { tcp, tcpCases } from "./tcp.js";
import { timers, timersCases } from "./timers.js";

/** A setup and the cases run through it. */
export interface SetupCases {
  setup: FidelitySetup;
  cases: FidelityCase[];
}

export const SUITE: readonly SetupCases[] = [
  { setup: headerRewrite, cases: headerRewriteCases },
  { setup: probe, cases: probeCases },
  { setup: probeLevels, cases: probeLevelsCases },
  { setup: bodies, cases: bodiesCases },
  { setup: metrics, cases: metricsCases },
  { setup: callouts, cases: calloutsCases },
  { setup: gotchas, cases: gotchasCases },
  { setup: properties, cases: propertiesCases },
  { setup: chainTag, cases: chainCases },
  { setup: chainReply, cases: chainCases.slice(0, 1) },
  { setup: trapClosed, cases: trapCases },
  { setup: trapOpen, cases: trapCases },
  { setup: trapReload, cases: trapReloadCases },
  { setup: timers, cases: timersCases },
  { setup: shared, cases: sharedCases },
  { setup: tcp, cases: tcpCases },
  ...peerSetups.map((setup) => ({ setup, cases: peerCases })),
  ...moduleSetups.map((setup) => ({ setup, cases: [] })),
  ...scenarioSetups,
  {
    setup: bufferStatus,
    cases: [
      { name: "reports flags 0 for a body chunk and for the end of stream (abi.md 11)", method: "POST", body: "abc" },
      { name: "reports flags 0 for a larger body", method: "POST", body: "z".repeat(3000) },
    ],
  },
];
