// Istio RequestAuthentication jwtRules taken as they are, compiled the way istiod compiles them
// (pilot/pkg/security/authn/v1beta1/policy_applier.go): provider i is `origins-<i>`, and the
// requirement lets a request without a token through while a present but invalid token fails:
// one rule gives any(p0, allow_missing); several give any(p0, ..., pn, all(any(pi, allow_missing)...)).

import { JsonReader } from "../../assembly";
import { loadKeys } from "./keys";
import { readIstioRemote } from "./remote-config";
import {
  ClaimToHeader,
  HeaderLocation,
  Provider,
  normaliseAudience,
  readHeaderName,
  readLocationName,
} from "./provider";
import { Requirement, RequirementKind } from "./requirement";

// prettier-ignore
@lazy const RULE_FIELDS = [
  "issuer", "audiences", "jwksUri", "jwks", "fromHeaders", "fromParams", "fromCookies", "outputPayloadToHeader",
  "outputClaimToHeaders", "forwardOriginalToken", "timeout", "spaceDelimitedClaims", "jwksCluster",
];

/** Providers and the single requirement compiled from jwtRules. */
export class IstioPolicy {
  /** One provider per rule, in rule order. */
  providers: Array<Provider> = [];
  /** The requirement every request gets. */
  requirement: Requirement = Requirement.leaf(RequirementKind.AllowMissingOrFailed);
}

/** Compiles jwtRules; null with the error recorded on the readers. */
export function readJwtRules(items: Array<JsonReader>, root: JsonReader): IstioPolicy | null {
  const policy = new IstioPolicy();
  if (root.ok && items.length == 0) {
    root.field("jwt_rules").fail("must list at least one rule");
    return null;
  }
  for (let i = 0; i < items.length; i++) {
    const provider = readRule(items[i], i);
    if (provider == null) return null;
    policy.providers.push(provider);
  }
  const any = new Array<Requirement>();
  for (let i = 0; i < policy.providers.length; i++) any.push(Requirement.ofProvider(policy.providers[i]));
  if (policy.providers.length == 1) {
    any.push(Requirement.leaf(RequirementKind.AllowMissing));
  } else {
    const all = new Array<Requirement>();
    for (let i = 0; i < policy.providers.length; i++) {
      all.push(
        Requirement.group(RequirementKind.Any, [
          Requirement.ofProvider(policy.providers[i]),
          Requirement.leaf(RequirementKind.AllowMissing),
        ]),
      );
    }
    any.push(Requirement.group(RequirementKind.All, all));
  }
  policy.requirement = Requirement.group(RequirementKind.Any, any);
  return policy;
}

function readRule(reader: JsonReader, index: i32): Provider | null {
  if (!reader.expectObject() || !reader.allowOnly(RULE_FIELDS)) return null;
  const p = new Provider();
  p.name = "origins-" + index.toString();
  p.index = index;
  p.issuer = reader.requireString("issuer");
  if (reader.ok && p.issuer.length == 0) reader.field("issuer").fail("must not be empty");
  const audiences = reader.optionalArray("audiences");
  for (let i = 0; i < audiences.length; i++) p.audiences.push(normaliseAudience(audiences[i].string()));
  const headers = reader.optionalArray("fromHeaders");
  for (let i = 0; i < headers.length && reader.ok; i++) {
    const item = headers[i];
    if (!item.expectObject() || !item.allowOnly(["name", "prefix"])) return null;
    p.fromHeaders.push(new HeaderLocation(readLocationName(item.require("name")), item.optionalString("prefix")));
  }
  p.fromParams = strings(reader.optionalArray("fromParams"));
  p.fromCookies = strings(reader.optionalArray("fromCookies"));
  if (p.fromHeaders.length == 0 && p.fromParams.length == 0 && p.fromCookies.length == 0) {
    p.fromHeaders.push(new HeaderLocation("authorization", "Bearer "));
    p.fromParams.push("access_token");
  }
  const payloadHeader = reader.optional("outputPayloadToHeader");
  if (payloadHeader != null) p.forwardPayloadHeader = readHeaderName(payloadHeader);
  const claims = reader.optionalArray("outputClaimToHeaders");
  for (let i = 0; i < claims.length && reader.ok; i++) {
    const item = claims[i];
    if (!item.expectObject() || !item.allowOnly(["header", "claim"])) return null;
    const header = readHeaderName(item.require("header"));
    p.claimToHeaders.push(new ClaimToHeader(header, item.requireString("claim")));
  }
  p.forward = reader.optionalBool("forwardOriginalToken");
  // Only used when keys are fetched; checked here so a bad value fails at load, as istiod's validation does.
  const timeout = reader.optionalString("timeout", "1s");
  if (reader.ok && !timeout.endsWith("s")) reader.field("timeout").fail('must be a duration such as "5s"');
  // Istio always splits scope and permission, plus the listed claims (request_authentication.proto).
  p.spaceDelimitedClaims = ["scope", "permission"].concat(strings(reader.optionalArray("spaceDelimitedClaims")));
  if (!reader.ok) return null;
  const jwks = reader.optional("jwks");
  const uri = reader.optional("jwksUri");
  if (jwks != null && uri != null) {
    reader.field("jwksUri").fail("only one of jwks and jwksUri may be set");
    return null;
  }
  if (uri != null) {
    // envoy-as: Envoy's Wasm callouts only reach configured clusters, so the rule names the one
    // serving jwksUri (istiod would have generated it).
    p.remote = readIstioRemote(reader, uri);
    return p.remote != null ? p : null;
  }
  if (jwks == null) {
    reader.fail("jwks or jwksUri is required (OIDC discovery is not supported)");
    return null;
  }
  if (reader.optional("jwksCluster") != null) {
    reader.field("jwksCluster").fail("is only used with jwksUri");
    return null;
  }
  const loaded = loadKeys(jwks.string());
  if (reader.ok && loaded.keys == null) jwks.fail(loaded.error);
  if (loaded.keys != null) p.keys = loaded.keys!;
  return reader.ok ? p : null;
}

function strings(items: Array<JsonReader>): Array<string> {
  const out = new Array<string>();
  for (let i = 0; i < items.length; i++) out.push(items[i].string());
  return out;
}
