// Verifies the tokens of one request against a requirement tree (Envoy's verifier.cc and
// authenticator.cc). Per token and provider the order is: size, parse, typ, issuer, signature
// (or the verification cache), then time, audience and subject. Envoy checks time and audience
// before the signature; checking the signature first means a forged token only ever learns
// "Jwt verification fails", never whether its claims would have passed.

import { Jwt, algName, parseJwt } from "./jwt";
import { TokenCache } from "./cache";
import { JwtAuthnConfig } from "./config";
import { Locations, RequestView, Token, extractTokens } from "./extract";
import { JwtMetrics } from "./metrics";
import { Provider } from "./provider";
import { RemoteJwks } from "./remote-jwks";
import { Requirement, RequirementKind } from "./requirement";
import { verifySignature } from "./signature";
import { Status, overrides, statusReason } from "./status";

/** What every request of one plugin instance shares: configuration, caches, locations, metrics. */
export class Engine {
  /** One cache per provider, by provider index. */
  caches: Array<TokenCache> = [];
  /** Each provider's own locations, by provider index. */
  locations: Array<Locations> = [];
  /** The locations of every provider, for allow_missing and allow_missing_or_failed. */
  allLocations: Locations = new Locations();
  /** Each provider's remote keys, by provider index (null for configured keys); the root fills them in. */
  remotes: Array<RemoteJwks | null> = [];

  constructor(
    /** The configuration. */
    public config: JwtAuthnConfig,
    /** The counters. */
    public metrics: JwtMetrics,
  ) {
    for (let i = 0; i < config.providers.length; i++) {
      const p = config.providers[i];
      this.caches.push(new TokenCache(p.cacheSize));
      this.locations.push(Locations.of([p]));
      this.remotes.push(null);
    }
    this.allLocations = Locations.of(config.providers);
  }
}

/** A token that verified, with the provider that accepted it. */
export class Verified {
  constructor(
    /** The token and where it was found. */
    public token: Token,
    /** The provider. */
    public provider: Provider,
    /** The parsed token. */
    public jwt: Jwt,
  ) {}
}

// The outcome of parsing and signature-checking one token for one provider, kept for the rest of
// the request.
class Check {
  constructor(
    public provider: Provider,
    public token: string,
    public status: Status,
    public jwt: Jwt | null,
  ) {}
}

// The lists of a request nothing failed for (most requests), shared and never written to: a
// request allocates its own list at its first failure.
const NO_FAILURES = new Array<string>();
const NO_PROVIDERS = new Array<Provider>();

// `list` with `provider` added once; the shared empty list is replaced, never written to.
function withProvider(list: Array<Provider>, provider: Provider): Array<Provider> {
  if (list.includes(provider)) return list;
  const out = list == NO_PROVIDERS ? new Array<Provider>() : list;
  out.push(provider);
  return out;
}

/** One request's verification; create it per request, call `evaluate`, then read `verifiedAt`. */
export class Authenticator {
  /** The `reason` of each token that failed, counted by `countFailures` once the outcome is final. */
  failures: Array<string> = NO_FAILURES;
  /** Remote providers that had no keys yet for a token (it failed with JwksFetchFail). */
  awaitingKeys: Array<Provider> = NO_PROVIDERS;
  /** Remote providers that had no key for a token's kid (it failed with JwksKidAlgMismatch). */
  unknownKid: Array<Provider> = NO_PROVIDERS;
  private parsed: Map<string, Jwt> | null = null;
  /** The first (provider, token) checked, and any further ones: most requests check one. */
  private firstCheck: Check | null = null;
  private moreChecks: Array<Check> | null = null;
  // The tokens that verified, the first in a field: most requests carry one.
  private firstVerified: Verified | null = null;
  private moreVerified: Array<Verified> | null = null;

  constructor(
    private engine: Engine,
    private request: RequestView,
    private nowSeconds: f64,
  ) {}

  /** How many tokens verified (each token and provider once). */
  get verifiedCount(): i32 {
    if (this.firstVerified == null) return 0;
    const more = this.moreVerified;
    return more == null ? 1 : 1 + more.length;
  }

  /** Verified token `i`, below verifiedCount, in the order they verified. */
  verifiedAt(i: i32): Verified {
    return i == 0 ? this.firstVerified! : this.moreVerified![i - 1];
  }

  /** Evaluates `requirement`: Ok, or the failure the request is denied with. */
  evaluate(requirement: Requirement): Status {
    switch (requirement.kind) {
      case RequirementKind.Provider:
        return this.provider(requirement.provider!, requirement.audiences);
      case RequirementKind.Any: {
        let error = Status.Ok;
        for (let i = 0; i < requirement.children.length; i++) {
          const status = this.evaluate(requirement.children[i]);
          if (status == Status.Ok) return Status.Ok;
          if (overrides(status, error)) error = status;
        }
        return error;
      }
      case RequirementKind.All: {
        for (let i = 0; i < requirement.children.length; i++) {
          const status = this.evaluate(requirement.children[i]);
          if (status != Status.Ok) return status;
        }
        return Status.Ok;
      }
      default:
        return this.allowMissing(requirement.kind == RequirementKind.AllowMissingOrFailed);
    }
  }

  // Every token at the provider's locations must verify (Envoy: a good and a bad token fail).
  private provider(provider: Provider, audiences: Array<string> | null): Status {
    const tokens = extractTokens(this.engine.locations[provider.index], this.request);
    if (tokens.length == 0) return Status.JwtMissed;
    for (let i = 0; i < tokens.length; i++) {
      const status = this.verify(tokens[i], provider, audiences);
      if (status != Status.Ok) return status;
    }
    return Status.Ok;
  }

  // Tokens anywhere; each is checked by the provider its issuer names among those configured at
  // its location (first with that issuer, else first without one), as Envoy's allow-missing
  // verifiers do. With allowFailed every outcome passes, but verified tokens are still used.
  private allowMissing(allowFailed: bool): Status {
    const tokens = extractTokens(this.engine.allLocations, this.request);
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const jwt = this.parse(token.value);
      const providers = token.location.providers;
      let chosen: Provider | null = null;
      for (let j = 0; j < providers.length && chosen == null; j++) {
        const iss = jwt.iss;
        if (iss != null && providers[j].issuer == iss) chosen = providers[j];
      }
      for (let j = 0; j < providers.length && chosen == null; j++) {
        if (providers[j].issuer.length == 0) chosen = providers[j];
      }
      let status = Status.JwtUnknownIssuer;
      if (chosen != null) status = this.verify(token, chosen!, null);
      else {
        // No provider to verify with: report the most specific reason the token alone gives.
        if (token.value.length > this.engine.config.maxTokenBytes) status = Status.JwtTooLarge;
        else if (jwt.status != Status.Ok) status = jwt.status;
        else if (jwt.payloadStatus != Status.Ok) status = jwt.payloadStatus;
        this.failed(status);
      }
      if (status != Status.Ok && !allowFailed) return status;
    }
    return Status.Ok;
  }

  private failed(status: Status): void {
    if (this.failures == NO_FAILURES) this.failures = new Array<string>();
    this.failures.push(statusReason(status));
  }

  /** Counts the failed tokens in jwt_authn_token_failed; not for a request that pauses to verify again. */
  countFailures(): void {
    for (let i = 0; i < this.failures.length; i++) {
      this.engine.metrics.tokenFailed.withValues([this.failures[i]]).increment();
    }
  }

  private parse(token: string): Jwt {
    let parsed = this.parsed;
    if (parsed == null) {
      parsed = new Map<string, Jwt>();
      this.parsed = parsed;
    }
    if (parsed.has(token)) return parsed.get(token);
    const jwt = parseJwt(token);
    parsed.set(token, jwt);
    return jwt;
  }

  // The check of `token` by `provider` made earlier in this request, or null.
  private memoized(token: string, provider: Provider): Check | null {
    const first = this.firstCheck;
    if (first == null) return null;
    if (first.provider == provider && first.token == token) return first;
    const more = this.moreChecks;
    if (more == null) return null;
    for (let i = 0; i < more.length; i++) {
      const check = more[i];
      if (check.provider == provider && check.token == token) return check;
    }
    return null;
  }

  private remember(check: Check): void {
    if (this.firstCheck == null) {
      this.firstCheck = check;
      return;
    }
    let more = this.moreChecks;
    if (more == null) {
      more = new Array<Check>();
      this.moreChecks = more;
    }
    more.push(check);
  }

  private verify(token: Token, provider: Provider, audiences: Array<string> | null): Status {
    const status = this.verifyWith(token, provider, audiences);
    if (status != Status.Ok) {
      this.failed(status);
      return status;
    }
    const jwt = this.memoized(token.value, provider)!.jwt!;
    const count = this.verifiedCount;
    for (let i = 0; i < count; i++) {
      const v = this.verifiedAt(i);
      if (v.provider == provider && v.token.value == token.value) return Status.Ok;
    }
    const verified = new Verified(token, provider, jwt);
    if (count == 0) {
      this.firstVerified = verified;
      return Status.Ok;
    }
    let more = this.moreVerified;
    if (more == null) {
      more = new Array<Verified>();
      this.moreVerified = more;
    }
    more.push(verified);
    return Status.Ok;
  }

  private verifyWith(token: Token, provider: Provider, audiences: Array<string> | null): Status {
    if (token.value.length > this.engine.config.maxTokenBytes) return Status.JwtTooLarge;
    const checked = this.check(token.value, provider);
    if (checked.status != Status.Ok) return checked.status;
    const jwt = checked.jwt!;
    const now = this.nowSeconds;
    const skew = provider.clockSkewSeconds;
    // jwt_verify_lib: not yet valid when now + skew < nbf; expired when now > exp + skew.
    if (jwt.nbf >= 0 && now + skew < jwt.nbf) return Status.JwtNotYetValid;
    if (jwt.exp >= 0 && now > jwt.exp + skew) {
      this.engine.caches[provider.index].remove(token.value);
      return Status.JwtExpired;
    }
    // Envoy's isLifetimeAllowed: require_expiration, or max_lifetime on the remaining lifetime.
    if (jwt.exp < 0 && (provider.requireExpiration || provider.maxLifetimeSeconds >= 0))
      return Status.JwtExpirationMissing;
    if (provider.maxLifetimeSeconds >= 0 && jwt.exp - now > provider.maxLifetimeSeconds)
      return Status.JwtLifetimeTooLong;
    if (!provider.audienceAllowed(jwt.audiences, audiences)) return Status.JwtAudienceNotAllowed;
    const subjects = provider.subjects;
    if (subjects != null && !subjects.matches(jwt.sub)) return Status.JwtSubjectNotAllowed;
    if (!provider.authorizedPartyAllowed(jwt.azp)) return Status.JwtAuthorizedPartyNotAllowed;
    return Status.Ok;
  }

  // Parse, typ, issuer and signature for one token and provider, once per request; a token found
  // in the provider's cache skips all of it.
  private check(token: string, provider: Provider): Check {
    const memoized = this.memoized(token, provider);
    if (memoized != null) return memoized;
    const cache = this.engine.caches[provider.index];
    const cachedJwt = cache.capacity > 0 ? cache.get(token) : null;
    let result: Check;
    if (cachedJwt != null) {
      this.engine.metrics.cacheHit.increment();
      result = new Check(provider, token, Status.Ok, cachedJwt);
    } else {
      if (cache.capacity > 0) this.engine.metrics.cacheMiss.increment();
      const jwt = this.parse(token);
      const status = this.checkUncached(jwt, provider);
      result = new Check(provider, token, status, status == Status.Ok ? jwt : null);
      if (status == Status.Ok && cache.capacity > 0) cache.put(token, jwt);
    }
    this.remember(result);
    return result;
  }

  private checkUncached(jwt: Jwt, provider: Provider): Status {
    if (jwt.status != Status.Ok) return jwt.status;
    if (!provider.typeAllowed(jwt.typ)) return Status.JwtHeaderTypeNotAllowed;
    if (jwt.payloadStatus == Status.Ok && provider.issuer.length > 0) {
      const iss = jwt.iss;
      if (iss == null || iss != provider.issuer) return Status.JwtUnknownIssuer;
    }
    // Envoy's authenticator waits for a remote JWKS only once a token needs it; the filter decides
    // from awaitingKeys whether the request waits for the fetch or fails now.
    if (provider.remote != null && provider.keys.keys.length == 0) {
      this.awaitingKeys = withProvider(this.awaitingKeys, provider);
      return Status.JwksFetchFail;
    }
    this.engine.metrics.signatureChecks.withValues([algName(jwt.alg)]).increment();
    const signature = verifySignature(jwt, provider.keys);
    if (signature == Status.JwksKidAlgMismatch && provider.remote != null)
      this.unknownKid = withProvider(this.unknownKid, provider);
    if (signature != Status.Ok) return signature;
    // A payload problem is reported only once the signature proved the token authentic.
    return jwt.payloadStatus;
  }
}
