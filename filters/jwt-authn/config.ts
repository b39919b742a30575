// The filter's configuration: Envoy's JwtAuthentication in JSON (providers, rules, requirement_map,
// bypass_cors_preflight, strip_failure_response), or an Istio RequestAuthentication's jwtRules
// list as `jwt_rules`. Parsed once in onConfigure; every error names the field by its JSON path.

import { JsonReader, JsonValue } from "../../assembly";
import { readJwtRules } from "./istio";
import { Provider, readCount, readHeaderName, readProvider } from "./provider";
import { Requirement, readRequirement } from "./requirement";
import { PathMatch, Rule, readRules } from "./rules";

// Envoy's default header limit is 60 KiB; real tokens stay well under 8 KiB, and a bigger one is
// refused before any parsing (filters.md 5.4, "huge token").
const DEFAULT_MAX_TOKEN_BYTES = 8192;

/** The parsed configuration. */
export class JwtAuthnConfig {
  /** Every provider, in configuration order. */
  providers: Array<Provider> = [];
  /** Route rules; the first match decides. */
  rules: Array<Rule> = [];
  /** Whether CORS preflight requests skip verification. */
  bypassCorsPreflight: bool = false;
  /** Whether denials carry no body and no WWW-Authenticate header. */
  stripFailureResponse: bool = false;
  /** The longest token accepted, in bytes. */
  maxTokenBytes: i32 = DEFAULT_MAX_TOKEN_BYTES;
  /** The header receiving the principal `<iss>/<sub>` of a verified request, or "". */
  principalHeader: string = "";
  /** Headers only this filter may set (payload, claim and principal headers), removed from every request first. */
  protectedHeaders: Array<string> = [];
  /** Whether deciding if a request needs a token takes its method (CORS bypass, or a rule with methods), not only its path. */
  needsMethod: bool = false;
}

/** A configuration, or the reason it was rejected. */
export class ConfigResult {
  constructor(
    /** The configuration, or null when `error` is set. */
    public config: JwtAuthnConfig | null,
    /** "" on success; otherwise `path: problem`. */
    public error: string,
  ) {}
}

// prettier-ignore
@lazy const TOP_LEVEL_FIELDS = [
  "providers", "rules", "requirement_map", "bypass_cors_preflight", "strip_failure_response", "jwt_rules",
  "max_token_bytes", "principal_header",
];

/** Builds the configuration from parsed JSON, or explains the first problem found. */
export function parseConfig(json: JsonValue): ConfigResult {
  const config = new JwtAuthnConfig();
  const root = JsonReader.root(json);
  if (root.expectObject() && root.allowOnly(TOP_LEVEL_FIELDS)) {
    const maxBytes = root.optional("max_token_bytes");
    if (maxBytes != null) config.maxTokenBytes = readCount(maxBytes, 1 << 20);
    config.stripFailureResponse = root.optionalBool("strip_failure_response");
    config.bypassCorsPreflight = root.optionalBool("bypass_cors_preflight");
    const principal = root.optional("principal_header");
    if (principal != null) config.principalHeader = readHeaderName(principal);
    const istio = root.optional("jwt_rules");
    if (istio != null) readIstio(root, istio, config);
    else readEnvoy(root, config);
  }
  if (root.ok) {
    collectProtectedHeaders(config);
    config.needsMethod = config.bypassCorsPreflight || config.rules.some((rule: Rule) => rule.methods.length > 0);
  }
  return root.ok ? new ConfigResult(config, "") : new ConfigResult(null, root.error);
}

function readEnvoy(root: JsonReader, config: JwtAuthnConfig): void {
  const providers = new Map<string, Provider>();
  const section = root.optional("providers");
  if (section != null && section.expectObject()) {
    const names = section.value.keys;
    for (let i = 0; i < names.length; i++) {
      const provider = readProvider(section.field(names[i]), names[i], i);
      if (provider == null) return;
      providers.set(names[i], provider);
      config.providers.push(provider);
    }
  }
  const named = new Map<string, Requirement>();
  const map = root.optional("requirement_map");
  if (map != null && map.expectObject()) {
    for (let i = 0; i < map.value.keys.length; i++) {
      const name = map.value.keys[i];
      const requirement = readRequirement(map.field(name), providers);
      if (requirement == null) return;
      named.set(name, requirement);
    }
  }
  if (!root.ok) return;
  const rules = readRules(root.optionalArray("rules"), providers, named);
  if (rules != null) config.rules = rules;
}

// Istio always bypasses CORS preflight and applies the policy to every path.
function readIstio(root: JsonReader, istio: JsonReader, config: JwtAuthnConfig): void {
  const envoyOnly = ["providers", "rules", "requirement_map"];
  for (let i = 0; i < envoyOnly.length; i++) {
    if (root.value.get(envoyOnly[i]) != null) {
      root.field(envoyOnly[i]).fail("cannot be combined with jwt_rules");
      return;
    }
  }
  const policy = readJwtRules(istio.elements(), root);
  if (policy == null) return;
  config.providers = policy.providers;
  config.bypassCorsPreflight = true;
  const rule = new Rule();
  rule.kind = PathMatch.Prefix;
  rule.value = "/";
  rule.requirement = policy.requirement;
  config.rules.push(rule);
}

// Envoy strips forward_payload_header and claim_to_headers names before verifying (extractor.cc
// sanitizeHeaders) so a client cannot pre-seed them; the principal header is protected the same way.
function collectProtectedHeaders(config: JwtAuthnConfig): void {
  if (config.principalHeader.length > 0) addOnce(config.protectedHeaders, config.principalHeader);
  for (let i = 0; i < config.providers.length; i++) {
    const p = config.providers[i];
    if (p.forwardPayloadHeader.length > 0) addOnce(config.protectedHeaders, p.forwardPayloadHeader);
    for (let j = 0; j < p.claimToHeaders.length; j++) addOnce(config.protectedHeaders, p.claimToHeaders[j].header);
  }
}

function addOnce(list: Array<string>, name: string): void {
  if (!list.includes(name)) list.push(name);
}
