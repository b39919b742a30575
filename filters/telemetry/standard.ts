// Istio's standard HTTP metrics and their labels (filters.md 4.1, in the order of Istio's stats
// plugin), with each label's value for one request: from the local node and the peer's metadata,
// the connection's certificates and the stream's attributes. A value that cannot be known is
// `unknown`, as in Istio; `response_flags` is `-` without flags and `grpc_response_status` is
// empty for plain HTTP.

import { MetricType, getPropertyBoolOr, getPropertyI64Or, getPropertyString } from "../../assembly";
import { streamResponseFlagsText } from "./response-flags";
import { Workload } from "./workload";

/** Who reports, as Istio's `reporter` label says. */
export enum Reporter {
  /** The server side (Istio's default for an inbound sidecar or a gateway). */
  Destination,
  /** The client side. */
  Source,
  /** An ambient waypoint. */
  Waypoint,
}

/** One of Istio's standard HTTP metrics. */
export class StandardMetric {
  constructor(
    /** The Prometheus name. */
    public name: string,
    /** The Telemetry API enum name. */
    public telemetryName: string,
    public type: MetricType,
  ) {}
}

/** Istio's standard HTTP metrics, in Telemetry enum order. */
export const STANDARD_METRICS: Array<StandardMetric> = [
  new StandardMetric("istio_requests_total", "REQUEST_COUNT", MetricType.Counter),
  new StandardMetric("istio_request_duration_milliseconds", "REQUEST_DURATION", MetricType.Histogram),
  new StandardMetric("istio_request_bytes", "REQUEST_SIZE", MetricType.Histogram),
  new StandardMetric("istio_response_bytes", "RESPONSE_SIZE", MetricType.Histogram),
];

/** Istio's standard labels, in its order. */
export const STANDARD_LABELS: Array<string> = [
  "reporter",
  "source_workload",
  "source_workload_namespace",
  "source_principal",
  "source_app",
  "source_version",
  "source_canonical_service",
  "source_canonical_revision",
  "source_cluster",
  "destination_workload",
  "destination_workload_namespace",
  "destination_principal",
  "destination_app",
  "destination_version",
  "destination_service",
  "destination_service_name",
  "destination_service_namespace",
  "destination_canonical_service",
  "destination_canonical_revision",
  "destination_cluster",
  "request_protocol",
  "response_flags",
  "connection_security_policy",
  "response_code",
  "grpc_response_status",
];

const UNKNOWN = "unknown";
/** An int attribute's value when it is absent (no status code or gRPC status is this negative). */
export const ABSENT = i64.MIN_VALUE;

// What a standard label's value comes from: a workload field, or something of the request.
enum LabelKind {
  Reporter,
  Workload,
  Namespace,
  Principal,
  App,
  Version,
  Service,
  ServiceNamespace,
  CanonicalService,
  CanonicalRevision,
  Cluster,
  Protocol,
  ResponseFlags,
  SecurityPolicy,
  ResponseCode,
  GrpcStatus,
}

function labelKind(label: string): LabelKind {
  const field = label.startsWith("source_")
    ? label.substring(7)
    : label.startsWith("destination_")
      ? label.substring(12)
      : label;
  if (field == "reporter") return LabelKind.Reporter;
  if (field == "workload") return LabelKind.Workload;
  if (field == "workload_namespace") return LabelKind.Namespace;
  if (field == "principal") return LabelKind.Principal;
  if (field == "app") return LabelKind.App;
  if (field == "version") return LabelKind.Version;
  if (field == "service" || field == "service_name") return LabelKind.Service;
  if (field == "service_namespace") return LabelKind.ServiceNamespace;
  if (field == "canonical_service") return LabelKind.CanonicalService;
  if (field == "canonical_revision") return LabelKind.CanonicalRevision;
  if (field == "cluster") return LabelKind.Cluster;
  if (field == "request_protocol") return LabelKind.Protocol;
  if (field == "response_flags") return LabelKind.ResponseFlags;
  if (field == "connection_security_policy") return LabelKind.SecurityPolicy;
  if (field == "response_code") return LabelKind.ResponseCode;
  // grpc_response_status, the last of STANDARD_LABELS.
  return LabelKind.GrpcStatus;
}

// Per standard label, decided once: whether it describes the source side, and what it reads.
const LABEL_IS_SOURCE: Array<bool> = STANDARD_LABELS.map<bool>((name: string) => name.startsWith("source_"));
const LABEL_KINDS: Array<LabelKind> = STANDARD_LABELS.map<LabelKind>((name: string) => labelKind(name));
const RESPONSE_CODE = ["response", "code"];
const GRPC_STATUS = ["response", "grpc_status"];
const CONNECTION_MTLS = ["connection", "mtls"];
const LOCAL_URI_SAN = ["connection", "uri_san_local_certificate"];
const PEER_URI_SAN = ["connection", "uri_san_peer_certificate"];

/**
 * What a request's standard labels are computed from; values are computed once, when first asked.
 * The root keeps one and resets it for each request; it remembers the text of the last response
 * code, gRPC status and host between requests, which traffic repeats.
 */
export class RequestFacts {
  private values: Array<string | null> = new Array<string | null>(STANDARD_LABELS.length);
  private local: Workload = new Workload();
  private peer: Workload | null = null;
  private authority: string | null = null;
  private grpc: bool = false;
  private host: string | null = null;
  private code: DecimalText = new DecimalText();
  private grpcStatus: DecimalText = new DecimalText();
  // Attributes more than one label or the access log needs, read at most once per request.
  private codeRead: bool = false;
  private codeValue: i64 = ABSENT;
  private flagsText: string | null = null;
  private mtlsRead: bool = false;
  private mtlsValue: bool = false;

  constructor(
    private reporter: Reporter,
    private hostFallback: bool,
  ) {}

  /** Starts a request: `local` is the workload this filter runs in, `peer` the other side's (from its metadata) or null, `authority` the request's `:authority` or null, `grpc` whether it was gRPC. */
  reset(local: Workload, peer: Workload | null, authority: string | null, grpc: bool): void {
    this.values.fill(null);
    this.codeRead = false;
    this.flagsText = null;
    this.mtlsRead = false;
    this.local = local;
    this.peer = peer;
    this.grpc = grpc;
    if (authority != this.authority) {
      this.authority = authority;
      this.host = null;
    }
  }

  /** The value of standard label `index`. */
  label(index: i32): string {
    let value = this.values[index];
    if (value == null) {
      value = this.compute(index);
      this.values[index] = value;
    }
    return value!;
  }

  /** The request's `response.code`, or ABSENT when Envoy has none. */
  responseCode(): i64 {
    if (!this.codeRead) {
      this.codeValue = getPropertyI64Or(RESPONSE_CODE, ABSENT);
      this.codeRead = true;
    }
    return this.codeValue;
  }

  /** The request's response flags as short codes, "-" for none. */
  responseFlags(): string {
    let text = this.flagsText;
    if (text == null) {
      text = streamResponseFlagsText();
      this.flagsText = text;
    }
    return text;
  }

  // Whether the client presented a certificate over TLS (`connection.mtls`).
  private mutualTls(): bool {
    if (!this.mtlsRead) {
      this.mtlsValue = getPropertyBoolOr(CONNECTION_MTLS, false);
      this.mtlsRead = true;
    }
    return this.mtlsValue;
  }

  // destination_service and _name: Istio takes them from the cluster's service metadata, else
  // from the Host header.
  private serviceHost(): string {
    if (this.host == null) {
      this.host = orUnknown(this.hostFallback && this.authority != null ? withoutPort(this.authority!) : "");
    }
    return this.host!;
  }

  private compute(index: i32): string {
    switch (LABEL_KINDS[index]) {
      case LabelKind.Reporter:
        return this.reporter == Reporter.Source
          ? "source"
          : this.reporter == Reporter.Waypoint
            ? "waypoint"
            : "destination";
      case LabelKind.Protocol:
        return this.grpc ? "grpc" : "http";
      case LabelKind.ResponseFlags:
        return this.responseFlags();
      case LabelKind.ResponseCode: {
        const code = this.responseCode();
        return code == ABSENT ? "0" : this.code.of(code);
      }
      case LabelKind.GrpcStatus: {
        if (!this.grpc) return "";
        const status = getPropertyI64Or(GRPC_STATUS, ABSENT);
        return status == ABSENT ? "" : this.grpcStatus.of(status);
      }
      case LabelKind.SecurityPolicy:
        if (this.reporter == Reporter.Source) return UNKNOWN;
        return this.mutualTls() ? "mutual_tls" : "none";
      case LabelKind.Service:
        return this.serviceHost();
      case LabelKind.ServiceNamespace: {
        // Of the destination workload, whichever side that is.
        const local = this.reporter == Reporter.Source ? this.peer : this.local;
        return orUnknown(local == null ? "" : local.namespace);
      }
    }
    // The local workload is the destination unless the filter reports for the client side.
    const isLocal = LABEL_IS_SOURCE[index] == (this.reporter == Reporter.Source);
    // The certificate's URI SAN: the peer's for the peer side, our own for the local side. A
    // server-side client has a certificate only over mutual TLS, which connection_security_policy
    // reads anyway.
    if (LABEL_KINDS[index] == LabelKind.Principal) {
      if (!isLocal && this.reporter != Reporter.Source && !this.mutualTls()) return UNKNOWN;
      return orUnknown(getPropertyString(isLocal ? LOCAL_URI_SAN : PEER_URI_SAN));
    }
    const workload = isLocal ? this.local : this.peer;
    return orUnknown(workload == null ? "" : workloadField(workload, LABEL_KINDS[index]));
  }
}

function workloadField(workload: Workload, kind: LabelKind): string {
  switch (kind) {
    case LabelKind.Workload:
      return workload.workload;
    case LabelKind.Namespace:
      return workload.namespace;
    case LabelKind.App:
      return workload.app;
    case LabelKind.Version:
      return workload.version;
    case LabelKind.CanonicalService:
      return workload.canonicalService;
    case LabelKind.CanonicalRevision:
      return workload.canonicalRevision;
    case LabelKind.Cluster:
      return workload.cluster;
  }
  return "";
}

// A number's decimal text, remembered for the number seen last.
class DecimalText {
  private value: i64 = -1;
  private text: string = "-1";

  of(value: i64): string {
    if (value != this.value) {
      this.value = value;
      this.text = value.toString();
    }
    return this.text;
  }
}

function orUnknown(value: string | null): string {
  return value == null || value.length == 0 ? UNKNOWN : value;
}

function withoutPort(host: string): string {
  if (host.startsWith("[")) {
    const close = host.indexOf("]");
    return close < 0 ? host : host.substring(0, close + 1);
  }
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.substring(0, colon);
}
