// Parses the header-rewrite configuration once, in onConfigure: rules (a match plus request and
// response operations) applied in order, the guard rails' exceptions and the body size cap. The
// top-level `request_headers` / `response_headers` lists are a rule that matches everything.
// Every error names the offending field by its JSON path.

import { asciiLowerCase, CelProgram, JsonReader, JsonValue, StringMatcher, StringMatcherIndex } from "../../assembly";
import { BodyOp, parseBodyOps } from "./body-ops";
import { Phase } from "./commands";
import { HeaderGuard } from "./guard";
import { HeaderOp, parseHeaderOps } from "./header-ops";
import { PathRewrite, QueryOp, parsePathRewrite, parseQueryOps } from "./request-ops";
import { RuleMatch, parseMatch } from "./rule-match";
import { OpScope } from "./scope";
import { Template } from "./template";

/** What a rule does to the request. */
export class RequestOps {
  headers: Array<HeaderOp> = [];
  query: Array<QueryOp> = [];
  path: PathRewrite | null = null;
  host: Template | null = null;
  body: Array<BodyOp> = [];

  constructor(
    /** The scope the operations were parsed in. */
    public scope: OpScope,
  ) {}
}

/** What a rule does to the response. */
export class ResponseOps {
  /** A CEL condition on the response (e.g. `response.code >= 500`); null applies always. */
  condition: CelProgram | null = null;
  headers: Array<HeaderOp> = [];
  body: Array<BodyOp> = [];

  constructor(
    /** The scope the operations were parsed in; its requestHeaders are copied during the request. */
    public scope: OpScope,
  ) {}
}

/** One rule. */
export class Rule {
  match: RuleMatch = new RuleMatch();
  /** Whether matches are counted: not for the implicit rule of `request_headers` / `response_headers`. */
  counted: bool = true;

  constructor(
    /** The rule's name (its counter label). */
    public name: string,
    public request: RequestOps,
    public response: ResponseOps,
  ) {}
}

/** The parsed configuration. */
export class RewriteConfig {
  rules: Array<Rule> = [];
  /** The rules' path conditions, indexed so that a request skips the rules whose path cannot match. */
  paths: StringMatcherIndex = new StringMatcherIndex([]);
  guard: HeaderGuard = new HeaderGuard([]);
  /** Bodies larger than this pass untouched. */
  maxBodyBytes: i32 = DEFAULT_MAX_BODY_BYTES;
}

/** A configuration, or the reason it was rejected. */
export class ConfigResult {
  constructor(
    public config: RewriteConfig | null,
    public error: string,
  ) {}
}

const DEFAULT_MAX_BODY_BYTES: i32 = 64 * 1024;
const MAX_BODY_BYTES: i32 = 1 << 20;
const TOP_LEVEL_FIELDS = ["request_headers", "response_headers", "rules", "allow_headers", "max_body_bytes"];
const RULE_FIELDS = ["name", "match", "request", "response"];
const REQUEST_FIELDS = ["headers", "query", "path", "host", "json_body"];
const RESPONSE_FIELDS = ["condition", "headers", "json_body"];

/** Builds the configuration from parsed JSON, or explains the first problem found. */
export function parseConfig(json: JsonValue): ConfigResult {
  const config = new RewriteConfig();
  const root = JsonReader.root(json);
  if (root.expectObject() && root.allowOnly(TOP_LEVEL_FIELDS)) {
    config.guard = new HeaderGuard(allowedHeaders(root.optionalArray("allow_headers")));
    const cap = root.optional("max_body_bytes");
    if (cap != null) {
      const n = cap.number();
      if (cap.ok && !(n >= 1 && n <= <f64>MAX_BODY_BYTES && Math.floor(n) == n)) {
        cap.fail("must be a whole number from 1 to " + MAX_BODY_BYTES.toString());
      }
      config.maxBodyBytes = <i32>n;
    }
    const requestHeaders = root.optional("request_headers");
    const responseHeaders = root.optional("response_headers");
    if (requestHeaders != null || responseHeaders != null) {
      const rule = newRule("default", new RuleMatch(), config);
      rule.counted = false;
      rule.request.headers = parseHeaderOps(root.optionalArray("request_headers"), rule.request.scope);
      rule.response.headers = parseHeaderOps(root.optionalArray("response_headers"), rule.response.scope);
      config.rules.push(rule);
    }
    const rules = root.optionalArray("rules");
    for (let i = 0; i < rules.length && root.ok; i++) parseRule(rules[i], i, config);
    const paths = new Array<StringMatcher | null>();
    for (let i = 0; i < config.rules.length; i++) paths.push(config.rules[i].match.path);
    config.paths = new StringMatcherIndex(paths);
  }
  return root.ok ? new ConfigResult(config, "") : new ConfigResult(null, root.error);
}

function parseRule(reader: JsonReader, index: i32, config: RewriteConfig): void {
  if (!reader.expectObject() || !reader.allowOnly(RULE_FIELDS)) return;
  const nameField = reader.optional("name");
  const name = nameField == null ? "rule-" + index.toString() : nameField.string();
  if (nameField != null && nameField.ok && name.length == 0) nameField.fail("must not be empty");
  for (let i = 0; i < config.rules.length && reader.ok; i++) {
    if (config.rules[i].name == name)
      (nameField == null ? reader : nameField).fail('duplicate rule name "' + name + '"');
  }
  const rule = newRule(name, parseMatch(reader.optional("match")), config);
  const req = reader.optional("request");
  if (req != null && req.expectObject() && req.allowOnly(REQUEST_FIELDS)) parseRequest(req, rule.request);
  const res = reader.optional("response");
  if (res != null && res.expectObject() && res.allowOnly(RESPONSE_FIELDS)) parseResponse(res, rule.response);
  config.rules.push(rule);
}

function newRule(name: string, match: RuleMatch, config: RewriteConfig): Rule {
  const captures = match.pathRegex();
  const request = new RequestOps(new OpScope(Phase.Request, captures, config.guard));
  const response = new ResponseOps(new OpScope(Phase.Response, captures, config.guard));
  const rule = new Rule(name, request, response);
  rule.match = match;
  return rule;
}

function parseRequest(reader: JsonReader, ops: RequestOps): void {
  ops.headers = parseHeaderOps(reader.optionalArray("headers"), ops.scope);
  ops.query = parseQueryOps(reader.optionalArray("query"), ops.scope);
  const path = reader.optional("path");
  if (path != null) ops.path = parsePathRewrite(path, ops.scope);
  const host = reader.optional("host");
  if (host != null) ops.host = ops.scope.template(host);
  ops.body = parseBodyOps(reader.optionalArray("json_body"), ops.scope);
}

function parseResponse(reader: JsonReader, ops: ResponseOps): void {
  const condition = reader.optional("condition");
  if (condition != null) {
    const compiled = CelProgram.compile(condition.string());
    if (condition.ok && compiled.program == null) condition.fail("invalid CEL expression: " + compiled.error);
    ops.condition = compiled.program;
  }
  ops.headers = parseHeaderOps(reader.optionalArray("headers"), ops.scope);
  ops.body = parseBodyOps(reader.optionalArray("json_body"), ops.scope);
}

function allowedHeaders(items: Array<JsonReader>): Array<string> {
  const names = new Array<string>();
  for (let i = 0; i < items.length; i++) {
    const name = asciiLowerCase(items[i].string());
    if (items[i].ok && (name.length == 0 || name == "*")) items[i].fail('must be a header name or a "prefix*"');
    names.push(name);
  }
  return names;
}
