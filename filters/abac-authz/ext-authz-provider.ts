// The extension providers CUSTOM policies delegate to, in the shape of Istio's MeshConfig
// `extensionProviders[]` with `envoyExtAuthzHttp` (istio/api mesh/v1alpha1/config.proto), which
// Istio compiles to Envoy's HTTP ext_authz filter. Only the HTTP kind can be spoken through
// proxy_http_call; the others are refused by name.

import { asciiLowerCase, Header, JsonKind, JsonReader, parseDouble } from "../../assembly";
import { IstioValue, anyMatches, istioValue } from "./values";

const PROVIDER_FIELDS = ["name", "envoyExtAuthzHttp", "envoyExtAuthzGrpc"];
const HTTP_FIELDS = [
  "cluster",
  "service",
  "port",
  "timeout",
  "pathPrefix",
  "failOpen",
  "statusOnError",
  "includeHeadersInCheck",
  "includeRequestHeadersInCheck",
  "includeAdditionalHeadersInCheck",
  "includeRequestBodyInCheck",
  "headersToUpstreamOnAllow",
  "headersToDownstreamOnDeny",
  "headersToDownstreamOnAllow",
];

/** Istio's default ext_authz timeout (10 minutes). */
const DEFAULT_TIMEOUT_MS: u32 = 600_000;

/** Header-name patterns in Istio's forms (`x-*`, `*-id`, exact, `*`), matched case-insensitively. */
export class HeaderNames {
  constructor(
    /** The compiled patterns; none matches nothing. */
    public patterns: Array<IstioValue>,
  ) {}

  /** Whether `name` matches one of the patterns. */
  matches(name: string): bool {
    return anyMatches(this.patterns, name);
  }
}

/** One `envoyExtAuthzHttp` provider. */
export class ExtAuthzProvider {
  /** The Envoy cluster checks are sent to: `cluster`, or Istio's `outbound|<port>||<service>`. */
  cluster: string = "";
  /** The check's timeout in milliseconds. */
  timeoutMs: u32 = DEFAULT_TIMEOUT_MS;
  /** Put in front of the request's `:path` (query included). */
  pathPrefix: string = "";
  /** Allow the request when the service cannot be reached or answers 5xx. */
  failOpen: bool = false;
  /** The status of the local reply when the check fails and `failOpen` is false. */
  statusOnError: u32 = 403;
  /** Request headers sent besides `:method`, `:path`, `:authority` and `authorization`. */
  requestHeaders: HeaderNames = new HeaderNames([]);
  /** Fixed headers added to every check, replacing the request's. */
  additionalHeaders: Array<Header> = [];
  /** Headers of an OK answer set on the request before it goes upstream. */
  toUpstreamOnAllow: HeaderNames = new HeaderNames([]);
  /** Headers of a denial copied to the client; null means all but `host` (Envoy's default). */
  toDownstreamOnDeny: HeaderNames | null = null;
  /** Headers of an OK answer added to the response to the client. */
  toDownstreamOnAllow: HeaderNames = new HeaderNames([]);

  constructor(
    /** The name CUSTOM policies refer to in `provider.name`. */
    public name: string,
  ) {}
}

/** Parses `extension_providers[]`; records the first problem on the readers. */
export function parseProviders(readers: Array<JsonReader>): Array<ExtAuthzProvider> {
  const providers = new Array<ExtAuthzProvider>();
  for (let i = 0; i < readers.length; i++) {
    const reader = readers[i];
    if (!reader.expectObject() || !reader.allowOnly(PROVIDER_FIELDS)) break;
    const nameField = reader.require("name");
    const name = nameField.string();
    if (reader.ok && name.length == 0) nameField.fail("must not be empty");
    for (let j = 0; j < providers.length && reader.ok; j++) {
      if (providers[j].name == name) nameField.fail('duplicate provider "' + name + '"');
    }
    if (reader.optional("envoyExtAuthzGrpc") != null) {
      reader.field("envoyExtAuthzGrpc").fail("is not supported: a Wasm filter speaks HTTP; use envoyExtAuthzHttp");
    }
    const http = reader.require("envoyExtAuthzHttp");
    if (!reader.ok) break;
    const provider = parseHttpProvider(http, name);
    if (!reader.ok) break;
    providers.push(provider);
  }
  return providers;
}

function parseHttpProvider(reader: JsonReader, name: string): ExtAuthzProvider {
  const provider = new ExtAuthzProvider(name);
  if (!reader.expectObject() || !reader.allowOnly(HTTP_FIELDS)) return provider;
  provider.cluster = clusterOf(reader);
  const timeout = reader.optional("timeout");
  if (timeout != null) {
    const seconds = timeout.durationSeconds();
    if (timeout.ok && (seconds * 1000 < 1 || seconds * 1000 >= 2147483648)) {
      timeout.fail("must be from 0.001s to 2147483.647s");
    }
    provider.timeoutMs = <u32>Math.round(seconds * 1000);
  }
  provider.pathPrefix = reader.optionalString("pathPrefix");
  if (reader.ok && provider.pathPrefix.length > 0 && !provider.pathPrefix.startsWith("/")) {
    reader.field("pathPrefix").fail('must start with "/"');
  }
  provider.failOpen = reader.optionalBool("failOpen");
  const status = reader.optional("statusOnError");
  if (status != null) provider.statusOnError = statusCode(status);
  if (reader.optional("includeRequestBodyInCheck") != null && reader.ok) {
    reader.field("includeRequestBodyInCheck").fail("is not supported: checks carry headers only");
  }
  const deprecated = reader.optionalArray("includeHeadersInCheck");
  provider.requestHeaders = headerNames(deprecated.concat(reader.optionalArray("includeRequestHeadersInCheck")));
  provider.additionalHeaders = fixedHeaders(reader.optional("includeAdditionalHeadersInCheck"));
  provider.toUpstreamOnAllow = headerNames(reader.optionalArray("headersToUpstreamOnAllow"));
  if (reader.optional("headersToDownstreamOnDeny") != null) {
    provider.toDownstreamOnDeny = headerNames(reader.optionalArray("headersToDownstreamOnDeny"));
  }
  provider.toDownstreamOnAllow = headerNames(reader.optionalArray("headersToDownstreamOnAllow"));
  return provider;
}

// Istio names the cluster of a mesh service `outbound|<port>||<service>`; outside Istio name it.
function clusterOf(reader: JsonReader): string {
  const cluster = reader.optional("cluster");
  if (cluster != null) {
    const name = cluster.string();
    if (cluster.ok && name.length == 0) cluster.fail("must not be empty");
    return name;
  }
  const service = reader.optional("service");
  const port = reader.optional("port");
  if (service == null || port == null) {
    reader.fail('needs "cluster" (an Envoy cluster name) or "service" and "port" (Istio\'s cluster naming)');
    return "";
  }
  const host = service.string();
  const number = port.number();
  if (port.ok && !(number >= 1 && number <= 65535 && Math.floor(number) == number)) {
    port.fail("must be a port from 1 to 65535");
  }
  return "outbound|" + (<i32>number).toString() + "||" + host;
}

// Istio writes statusOnError as a string ("503"); a number is accepted too.
function statusCode(reader: JsonReader): u32 {
  let code: f64 = NaN;
  if (reader.value.kind == JsonKind.String) {
    const text = reader.value.string;
    let digits = text.length == 3;
    for (let i = 0; i < text.length; i++) digits = digits && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39;
    if (digits) code = parseDouble(text);
  } else {
    code = reader.number();
  }
  if (reader.ok && !(code >= 200 && code <= 599 && Math.floor(code) == code)) {
    reader.fail("must be an HTTP status from 200 to 599");
  }
  return reader.ok ? <u32>code : 403;
}

function headerNames(readers: Array<JsonReader>): HeaderNames {
  const patterns = new Array<IstioValue>();
  for (let i = 0; i < readers.length; i++) {
    const text = readers[i].string();
    if (readers[i].ok && text.length == 0) readers[i].fail("must not be empty");
    if (!readers[i].ok) break;
    patterns.push(istioValue(asciiLowerCase(text), true));
  }
  return new HeaderNames(patterns);
}

function fixedHeaders(reader: JsonReader | null): Array<Header> {
  const headers = new Array<Header>();
  if (reader == null || !reader.expectObject()) return headers;
  const keys = reader.value.keys;
  for (let i = 0; i < keys.length; i++) {
    const value = reader.field(keys[i]).string();
    if (keys[i].length == 0 || keys[i].startsWith(":"))
      reader.field(keys[i]).fail("is not a header name that can be set");
    if (!reader.ok) break;
    headers.push(new Header(asciiLowerCase(keys[i]), value));
  }
  return headers;
}
