// The attributes one request is judged on, each read from the host at most once and only when a
// rule needs it: the mTLS peer, the JWT outputs of jwt-authn, addresses, and request headers. A
// CUSTOM provider may change the request headers: the request is then judged on a new view.

import {
  EnvoyAttributes,
  Header,
  IpAddress,
  JWT_PRINCIPAL_PROPERTY,
  JsonValue,
  getPropertyI64,
  getPropertyString,
  joinedHeaderValue,
  request,
  verifiedJwtClaims,
} from "../../assembly";

// The property paths read, built once (an array literal allocates on every evaluation).
const PEER_URI_SAN = ["connection", "uri_san_peer_certificate"];
const JWT_PRINCIPAL = [JWT_PRINCIPAL_PROPERTY];
const SOURCE_ADDRESS = ["source", "address"];
const DESTINATION_ADDRESS = ["destination", "address"];
const DESTINATION_PORT = ["destination", "port"];
const SNI = ["connection", "requested_server_name"];

/** Returns the IP of `address` (`1.2.3.4:80`, `[::1]:80` or a bare IP), or null when it is not one. */
export function ipOf(address: string): IpAddress | null {
  let host = address;
  if (address.startsWith("[")) {
    const close = address.indexOf("]");
    host = close < 0 ? address : address.substring(1, close);
  } else if (address.indexOf(":") == address.lastIndexOf(":") && address.indexOf(":") >= 0) {
    host = address.substring(0, address.indexOf(":"));
  }
  return IpAddress.parse(host.trim());
}

// The last source address read and its IP: while consecutive requests repeat the address (one
// client's connection does) it is parsed once. An IpAddress is never changed once made, so streams
// can share it.
let lastSourceAddress: string | null = null;
let lastSourceIp: IpAddress | null = null;

/** Lazily read attributes of the current request; build one per request in onRequestHeaders. */
export class RequestView {
  private peerRead: bool = false;
  private peer: string | null = null;
  private principalRead: bool = false;
  private principal: string | null = null;
  private claimsRead: bool = false;
  private claims: JsonValue | null = null;
  private celAttributes: EnvoyAttributes | null = null;
  private pairs: Array<Header> | null = null;
  private hostRead: bool = false;
  private hostValue: string | null = null;
  private methodRead: bool = false;
  private methodValue: string | null = null;
  private pathRead: bool = false;
  private pathValue: string | null = null;
  private sourceRead: bool = false;
  private source: IpAddress | null = null;
  private destinationRead: bool = false;
  private destination: IpAddress | null = null;
  private portRead: bool = false;
  private port: i64 = -1;
  private sniRead: bool = false;
  private sniValue: string | null = null;
  private wanted: bool = false;

  constructor(
    /** Istio's numTrustedProxies: how many x-forwarded-for entries, from the right, were added by trusted proxies. */
    public trustedHops: i32,
    /** Read the whole header map for the first pseudo-header too (the request before needed it): one host call, not two. */
    private readHeadersFirst: bool = false,
  ) {}

  /** Whether a rule asked for a header other than the pseudo-headers, which reads the whole map. */
  get headersWanted(): bool {
    return this.wanted;
  }

  /** The peer certificate's URI SAN (`spiffe://td/ns/x/sa/y`), or null without mTLS. */
  peerPrincipal(): string | null {
    if (!this.peerRead) {
      this.peer = getPropertyString(PEER_URI_SAN);
      this.peerRead = true;
    }
    return this.peer;
  }

  /** The request principal `<iss>/<sub>` jwt-authn verified, or null. */
  requestPrincipal(): string | null {
    if (!this.principalRead) {
      this.principal = getPropertyString(JWT_PRINCIPAL);
      this.principalRead = true;
    }
    return this.principal;
  }

  /** The verified JWT claims object jwt-authn published, or null (also when it is not JSON). */
  jwtClaims(): JsonValue | null {
    if (!this.claimsRead) {
      const parsed = verifiedJwtClaims();
      this.claims = parsed == null ? null : parsed.value;
      this.claimsRead = true;
    }
    return this.claims;
  }

  /** The direct peer's IP (Istio `source.ip`), or null. */
  sourceIp(): IpAddress | null {
    if (!this.sourceRead) {
      const address = getPropertyString(SOURCE_ADDRESS);
      if (address != null && address != lastSourceAddress) {
        lastSourceIp = ipOf(address);
        lastSourceAddress = address;
      }
      this.source = address == null ? null : lastSourceIp;
      this.sourceRead = true;
    }
    return this.source;
  }

  /**
   * The client IP (Istio `remote.ip`), as Envoy's xff_num_trusted_hops picks it: with N trusted
   * hops the Nth x-forwarded-for entry from the right; with none, or when the header has fewer
   * entries or that entry is not an IP, the direct peer's IP.
   */
  remoteIp(): IpAddress | null {
    if (this.trustedHops > 0) {
      const xff = this.header("x-forwarded-for");
      if (xff != null) {
        const entries = xff.split(",");
        if (entries.length >= this.trustedHops) {
          const picked = IpAddress.parse(entries[entries.length - this.trustedHops].trim());
          if (picked != null) return picked;
        }
      }
    }
    return this.sourceIp();
  }

  /** The local address's IP (Istio `destination.ip`), or null. */
  destinationIp(): IpAddress | null {
    if (!this.destinationRead) {
      const address = getPropertyString(DESTINATION_ADDRESS);
      this.destination = address == null ? null : ipOf(address);
      this.destinationRead = true;
    }
    return this.destination;
  }

  /** The local port (Istio `destination.port`, `ports`), or -1 when unknown. */
  destinationPort(): i64 {
    if (!this.portRead) {
      const port = getPropertyI64(DESTINATION_PORT);
      this.port = port == null ? -1 : port.value;
      this.portRead = true;
    }
    return this.port;
  }

  /** The TLS SNI (Istio `connection.sni`), or null. */
  sni(): string | null {
    if (!this.sniRead) {
      this.sniValue = getPropertyString(SNI);
      this.sniRead = true;
    }
    return this.sniValue;
  }

  /** The `:authority` (Istio `hosts`), or null. */
  host(): string | null {
    if (!this.hostRead) {
      this.hostValue = this.pseudoHeader(":authority");
      this.hostRead = true;
    }
    return this.hostValue;
  }

  /** The `:method`, or null. */
  method(): string | null {
    if (!this.methodRead) {
      this.methodValue = this.pseudoHeader(":method");
      this.methodRead = true;
    }
    return this.methodValue;
  }

  /** The `:path` without its query (Istio `paths`, Envoy's url_path), or null. */
  path(): string | null {
    if (!this.pathRead) {
      const path = this.pseudoHeader(":path");
      const query = path == null ? -1 : path.indexOf("?");
      this.pathValue = query < 0 ? path : path!.substring(0, query);
      this.pathRead = true;
    }
    return this.pathValue;
  }

  /** Every value of header `name` (lower case) joined with ",", as Envoy's header matchers see it; null when absent. */
  header(name: string): string | null {
    this.wanted = true;
    return joinedHeaderValue(this.entries(), name);
  }

  private entries(): Array<Header> {
    let pairs = this.pairs;
    if (pairs == null) {
      pairs = request.headers.getAll();
      this.pairs = pairs;
    }
    return pairs;
  }

  // A pseudo-header: from the whole map when it is read or will be, else alone (one host call).
  private pseudoHeader(name: string): string | null {
    if (this.pairs == null && !this.readHeadersFirst) return request.headers.get(name);
    return joinedHeaderValue(this.entries(), name);
  }

  /** The CEL resolver for rule conditions, shared by every condition of this request. */
  attributes(): EnvoyAttributes {
    let attributes = this.celAttributes;
    if (attributes == null) {
      attributes = new EnvoyAttributes();
      this.celAttributes = attributes;
    }
    return attributes;
  }
}
