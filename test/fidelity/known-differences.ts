// Differences between the harness and real Envoy that remain after the normalisations, each with
// the values both sides showed and why it is not fixed in the harness (yet). An entry excuses a
// field only while both values are exactly these; a stale entry fails the suite.

/** One known difference: a field of a case where the harness and Envoy disagree. */
export interface KnownDifference {
  /** `<setup>/<case>`. */
  case: string;
  field: string;
  harness: unknown;
  envoy: unknown;
  reason: string;
}

const STARTUP =
  "Envoy 1.40 starts the plugin three times: the canary, a thread-local instance on the main thread, and the worker; the harness starts the canary and the worker only (Plugin.load in harness/plugin.ts). Fixing it changes every test that counts load-time log lines, so it is left to a deliberate change.";
const REPLY_HELD =
  "After a local reply from on_request_headers, Envoy forces the callback result to Stop, so the context keeps its request headers: they stay readable in on_response_headers and writable in on_log (add returns Ok). The harness drops them (deliverLocalReply in harness/host/http-stream.ts clears headersHeld). A one-line fix exists but test/harness/local-reply.test.ts asserts the old behaviour.";
const LIMIT =
  "After a local reply sent from on_request_body, Envoy still exposes the buffered request body (23 bytes, mutable: append returns Ok) in on_response_headers; the harness shows an empty, immutable buffer (BadArgument). Needs a body-window change in harness/host/http-stream.ts.";
const RESET =
  "When a callout cluster resets the connection, Envoy's router answers the async client with a 503 local reply (\"upstream connect error or disconnect/reset before headers. reset reason: connection termination\"), delivered as a successful response; the runner maps a reset to HttpCall.fail(), which models the async client's onFailure ((0,0,0) and status 11 \"reset\"). The harness has no call that reproduces the router's reply; a test wanting Envoy's behaviour must respond() with that 503.";
const RAW =
  "Envoy hands the callout response to the guest with 5 headers where the harness emulation gives 4 (:status, x-user, content-length, x-envoy-upstream-service-time); the fixture logs only the count, so the extra header (one the async client path adds) is not identified yet.";

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    case: "probe/startup",
    field: "logs",
    harness: [
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
    ],
    envoy: [
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
    ],
    reason: STARTUP,
  },
  {
    case: "probe/replies locally with a body and extra headers",
    field: "logs",
    harness: [
      "info request_headers count=7 eos=1 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=null",
      "info log request x-probe=reply response status=403 add status=2",
      "info done 6",
      "info delete 6",
    ],
    envoy: [
      "info request_headers count=7 eos=1 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=reply",
      "info log request x-probe=reply response status=403 add status=0",
      "info done 6",
      "info delete 6",
    ],
    reason: REPLY_HELD,
  },
  {
    case: "probe/replies locally without a body",
    field: "logs",
    harness: [
      "info request_headers count=7 eos=1 x-empty=null",
      "info response_headers status=403 eos=1 request x-probe=null",
      "info log request x-probe=reply-empty response status=403 add status=2",
      "info done 7",
      "info delete 7",
    ],
    envoy: [
      "info request_headers count=7 eos=1 x-empty=null",
      "info response_headers status=403 eos=1 request x-probe=reply-empty",
      "info log request x-probe=reply-empty response status=403 add status=0",
      "info done 7",
      "info delete 7",
    ],
    reason: REPLY_HELD,
  },
  {
    case: "probe/reads x-probe whatever the case of its name",
    field: "logs",
    harness: [
      "info request_headers count=7 eos=1 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=null",
      "info log request x-probe=reply response status=403 add status=2",
      "info done 13",
      "info delete 13",
    ],
    envoy: [
      "info request_headers count=7 eos=1 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=reply",
      "info log request x-probe=reply response status=403 add status=0",
      "info done 13",
      "info delete 13",
    ],
    reason: REPLY_HELD,
  },
  {
    case: "probe/replies locally to a POST with a body",
    field: "logs",
    harness: [
      "info request_headers count=8 eos=0 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=null",
      "info log request x-probe=reply response status=403 add status=2",
      "info done 14",
      "info delete 14",
    ],
    envoy: [
      "info request_headers count=8 eos=0 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=reply",
      "info log request x-probe=reply response status=403 add status=0",
      "info done 14",
      "info delete 14",
    ],
    reason: REPLY_HELD,
  },
  {
    case: "probe/replies locally without a body to a POST",
    field: "logs",
    harness: [
      "info request_headers count=8 eos=0 x-empty=null",
      "info response_headers status=403 eos=1 request x-probe=null",
      "info log request x-probe=reply-empty response status=403 add status=2",
      "info done 15",
      "info delete 15",
    ],
    envoy: [
      "info request_headers count=8 eos=0 x-empty=null",
      "info response_headers status=403 eos=1 request x-probe=reply-empty",
      "info log request x-probe=reply-empty response status=403 add status=0",
      "info done 15",
      "info delete 15",
    ],
    reason: REPLY_HELD,
  },
  {
    case: "probe/reads the first of repeated x-probe headers",
    field: "logs",
    harness: [
      "info request_headers count=8 eos=1 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=null",
      "info log request x-probe=reply response status=403 add status=2",
      "info done 22",
      "info delete 22",
    ],
    envoy: [
      "info request_headers count=8 eos=1 x-empty=null",
      "info response_headers status=403 eos=0 request x-probe=reply",
      "info log request x-probe=reply response status=403 add status=0",
      "info done 22",
      "info delete 22",
    ],
    reason: REPLY_HELD,
  },
  {
    case: "probe-levels/startup",
    field: "logs",
    harness: [
      "info vm_start root=1 vm_configuration_size=0",
      "debug level 1",
      "info level 2",
      "warning level 3",
      "error level 4",
      "critical level 5",
      "info configure root=1 size=24 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "debug level 1",
      "info level 2",
      "warning level 3",
      "error level 4",
      "critical level 5",
      "info configure root=1 size=24 host_level=1",
    ],
    envoy: [
      "info vm_start root=1 vm_configuration_size=0",
      "debug level 1",
      "info level 2",
      "warning level 3",
      "error level 4",
      "critical level 5",
      "info configure root=1 size=24 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "debug level 1",
      "info level 2",
      "warning level 3",
      "error level 4",
      "critical level 5",
      "info configure root=1 size=24 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "debug level 1",
      "info level 2",
      "warning level 3",
      "error level 4",
      "critical level 5",
      "info configure root=1 size=24 host_level=1",
    ],
    reason: STARTUP,
  },
  {
    case: "bodies/request body action limit",
    field: "logs",
    harness: [
      "info request_headers byte_size=147",
      'info request_body size=23 eos=0 buffer=23 text="longer than eight bytes" headers=null',
      'info response_headers status="413" eos=0 request_body_size=0 request_body_append=2',
      'info response_body size=17 eos=1 text="Payload Too Large"',
      "info log",
    ],
    envoy: [
      "info request_headers byte_size=147",
      'info request_body size=23 eos=0 buffer=23 text="longer than eight bytes" headers=null',
      'info response_headers status="413" eos=0 request_body_size=23 request_body_append=0',
      'info response_body size=17 eos=1 text="Payload Too Large"',
      "info log",
    ],
    reason: LIMIT,
  },
  {
    case: "metrics/startup",
    field: "logs",
    harness: ["info ids counter=4,8 gauge=5 histogram=6", "info ids counter=4,8 gauge=5 histogram=6"],
    envoy: [
      "info ids counter=4,8 gauge=5 histogram=6",
      "info ids counter=4,8 gauge=5 histogram=6",
      "info ids counter=4,8 gauge=5 histogram=6",
    ],
    reason: STARTUP,
  },
  {
    case: "callouts/handles a callout whose connection is reset",
    field: "response.status",
    harness: 503,
    envoy: 403,
    reason: RESET,
  },
  {
    case: "callouts/handles a callout whose connection is reset",
    field: "response.headers",
    harness: [
      ["content-length", "21"],
      ["content-type", "text/plain"],
    ],
    envoy: [
      ["content-length", "95"],
      ["content-type", "text/plain"],
    ],
    reason: RESET,
  },
  {
    case: "callouts/handles a callout whose connection is reset",
    field: "response.body",
    harness: "callout failed: reset",
    envoy: "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
    reason: RESET,
  },
  {
    case: "callouts/handles a callout whose connection is reset",
    field: "logs",
    harness: [
      "info http_call status=0 token=12",
      "info http_response context=4 failed=true status=0 timed_out=false body= trailers= message=reset",
      "info stream_deleted 4",
    ],
    envoy: [
      "info http_call status=0 token=12",
      "info http_response context=4 failed=false status=503 timed_out=false body=upstream connect error or disconnect/reset before headers. reset reason: connection termination trailers= message=",
      "info stream_deleted 4",
    ],
    reason: RESET,
  },
  {
    case: "callouts/delivers a raw callout's answer to the root",
    field: "logs",
    harness: [
      "info raw_call status=0 token=16",
      "info raw_response root=1 context=1 token=16 headers=4 body=7 status=200",
      "info stream_deleted 8",
    ],
    envoy: [
      "info raw_call status=0 token=16",
      "info raw_response root=1 context=1 token=16 headers=5 body=7 status=200",
      "info stream_deleted 8",
    ],
    reason: RAW,
  },
  {
    case: "properties/startup",
    field: "logs",
    harness: [
      'info root name="properties" root_id="props" vm_id="properties" request.path=1 xds.node=0 xds.cluster_name=1 source.address=null set=1',
      'info root name="properties" root_id="props" vm_id="properties" request.path=1 xds.node=0 xds.cluster_name=1 source.address=null set=1',
    ],
    envoy: [
      'info root name="properties" root_id="props" vm_id="properties" request.path=1 xds.node=0 xds.cluster_name=1 source.address=null set=1',
      'info root name="properties" root_id="props" vm_id="properties" request.path=1 xds.node=0 xds.cluster_name=1 source.address=null set=1',
      'info root name="properties" root_id="props" vm_id="properties" request.path=1 xds.node=0 xds.cluster_name=1 source.address=null set=1',
    ],
    reason: STARTUP,
  },
  {
    case: "chain-tag/startup",
    field: "logs",
    harness: ["info chain vm_start root=1", "info chain vm_start root=1"],
    envoy: ["info chain vm_start root=1", "info chain vm_start root=1", "info chain vm_start root=1"],
    reason: STARTUP,
  },
  {
    case: "chain-reply/startup",
    field: "logs",
    harness: ["info chain vm_start root=1", "info chain vm_start root=1"],
    envoy: ["info chain vm_start root=1", "info chain vm_start root=1", "info chain vm_start root=1"],
    reason: STARTUP,
  },
  {
    case: "trap-closed/startup",
    field: "logs",
    harness: [
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
    ],
    envoy: [
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
    ],
    reason: STARTUP,
  },
  {
    case: "trap-open/startup",
    field: "logs",
    harness: [
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
    ],
    envoy: [
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
      "info vm_start root=1 vm_configuration_size=0",
      "info configure root=1 size=2 host_level=1",
    ],
    reason: STARTUP,
  },
];
