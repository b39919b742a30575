// The compiled form of a rule: a tree of checks over a RequestView. Istio's combination rules
// (filters.md 2.1): rules OR, from/to/when AND, entries of from[] and to[] OR, fields of one
// source or operation AND, values of one field OR, notX = NOT(any of).

import { CelBool, CelKind, CelProgram, CidrSet, IpAddress, PathTemplate, Regex } from "../../assembly";
import { RequestView } from "./request-view";
import { IstioValue, anyMatches, claimMatches, headerMatches } from "./values";

/** One condition of a rule, evaluated per request. */
export abstract class Check {
  /** Whether the request satisfies this condition. */
  abstract matches(view: RequestView): bool;
}

/** Every check holds (an empty list matches everything, as an empty Istio rule does). */
export class AllOf extends Check {
  constructor(public checks: Array<Check>) {
    super();
  }

  matches(view: RequestView): bool {
    for (let i = 0; i < this.checks.length; i++) if (!this.checks[i].matches(view)) return false;
    return true;
  }
}

/** Some check holds (used for from[] and to[] entries). */
export class AnyOf extends Check {
  constructor(public checks: Array<Check>) {
    super();
  }

  matches(view: RequestView): bool {
    for (let i = 0; i < this.checks.length; i++) if (this.checks[i].matches(view)) return true;
    return false;
  }
}

/** Negation, for Istio's notX fields and notValues: true also when the attribute is absent. */
export class Not extends Check {
  constructor(public inner: Check) {
    super();
  }

  matches(view: RequestView): bool {
    return !this.inner.matches(view);
  }
}

/** A string attribute a value check reads. */
export enum StringAttribute {
  PeerPrincipal,
  RequestPrincipal,
  Host,
  Method,
  Path,
  Sni,
}

function stringOf(view: RequestView, attribute: StringAttribute): string | null {
  switch (attribute) {
    case StringAttribute.PeerPrincipal:
      return view.peerPrincipal();
    case StringAttribute.RequestPrincipal:
      return view.requestPrincipal();
    case StringAttribute.Host:
      return view.host();
    case StringAttribute.Method:
      return view.method();
    case StringAttribute.Path:
      return view.path();
  }
  return view.sni();
}

/** Istio values (exact/prefix/suffix/presence) against one string attribute. */
export class ValuesCheck extends Check {
  constructor(
    public attribute: StringAttribute,
    public values: Array<IstioValue>,
  ) {
    super();
  }

  matches(view: RequestView): bool {
    return anyMatches(this.values, stringOf(view, this.attribute));
  }
}

/** Istio paths: values and `{*}`/`{**}` templates against the path without its query. */
export class PathCheck extends Check {
  constructor(
    public values: Array<IstioValue>,
    public templates: Array<PathTemplate>,
  ) {
    super();
  }

  matches(view: RequestView): bool {
    const path = view.path();
    if (path == null) return false;
    if (anyMatches(this.values, path)) return true;
    for (let i = 0; i < this.templates.length; i++) if (this.templates[i].matches(path)) return true;
    return false;
  }
}

/** Full-match regexes on the peer principal (Istio namespaces and serviceAccounts). */
export class PrincipalRegexCheck extends Check {
  constructor(public regexes: Array<Regex>) {
    super();
  }

  matches(view: RequestView): bool {
    const principal = view.peerPrincipal();
    if (principal == null) return false;
    for (let i = 0; i < this.regexes.length; i++) if (this.regexes[i].fullMatch(principal)) return true;
    return false;
  }
}

/** Which address an IP check reads. */
export enum IpAttribute {
  Source,
  Remote,
  Destination,
}

/** CIDR blocks against an address (Istio ipBlocks, remoteIpBlocks, source.ip, remote.ip, destination.ip). */
export class IpCheck extends Check {
  constructor(
    public attribute: IpAttribute,
    public blocks: CidrSet,
  ) {
    super();
  }

  matches(view: RequestView): bool {
    let ip: IpAddress | null;
    if (this.attribute == IpAttribute.Source) ip = view.sourceIp();
    else if (this.attribute == IpAttribute.Remote) ip = view.remoteIp();
    else ip = view.destinationIp();
    return ip != null && this.blocks.containsAddress(ip);
  }
}

/** Exact destination ports (Istio ports, destination.port). */
export class PortCheck extends Check {
  constructor(public ports: Array<i64>) {
    super();
  }

  matches(view: RequestView): bool {
    return this.ports.includes(view.destinationPort());
  }
}

/** A request header condition (Istio `request.headers[name]`). */
export class HeaderCheck extends Check {
  constructor(
    public name: string,
    public values: Array<IstioValue>,
  ) {
    super();
  }

  matches(view: RequestView): bool {
    return headerMatches(this.values, view.header(this.name));
  }
}

/** A JWT claim at a nested path (request.auth.claims[a][b], audiences = aud, presenter = azp). */
export class ClaimCheck extends Check {
  constructor(
    public path: Array<string>,
    public values: Array<IstioValue>,
  ) {
    super();
  }

  matches(view: RequestView): bool {
    let claim = view.jwtClaims();
    for (let i = 0; i < this.path.length && claim != null; i++) claim = claim.get(this.path[i]);
    return claimMatches(this.values, claim);
  }
}

/**
 * Our `condition` extension: a CEL expression over Envoy's attributes and `jwt.claims`. An
 * evaluation error (a missing attribute) counts as a match in DENY and AUDIT policies, so errors
 * fail closed, and as no match in ALLOW policies.
 */
export class CelCheck extends Check {
  constructor(
    public program: CelProgram,
    public errorMatches: bool,
  ) {
    super();
  }

  matches(view: RequestView): bool {
    const result = this.program.evaluate(view.attributes());
    if (result.kind == CelKind.Error) return this.errorMatches;
    return result.kind == CelKind.Bool && changetype<CelBool>(result).value;
  }
}
