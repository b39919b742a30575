// The `%COMMAND%` operators templates accept, each mapped to what a Wasm filter can read: request
// and response headers, Envoy attributes (reference abi.md 7), the request's start time, captures
// of the rule's path regex, jwt-authn's claims and CEL. Envoy operators a Wasm filter cannot know
// (%HOSTNAME%, %DYNAMIC_METADATA%, %UPSTREAM_METADATA%, ...) are refused by name.

import { asciiLowerCase, CelProgram, Regex, isValidTimeFormat, parseJsonPath, requestHeaderKey } from "../../assembly";

/** When a value is written. */
export enum Phase {
  Request,
  Response,
}

/** What a command reads. */
export enum CommandKind {
  RequestHeader,
  ResponseHeader,
  /** A string attribute, whole. */
  Attribute,
  /** An `ip:port` attribute without its port. */
  AttributeWithoutPort,
  /** An integer attribute, in decimal. */
  NumberAttribute,
  StartTime,
  Capture,
  Claim,
  Cel,
}

/** One parsed command. */
export class Command {
  /** The header name (REQ, RESP), time format (START_TIME) or capture name. */
  argument: string = "";
  /** REQ/RESP `a?b`: the header read when `a` is absent. */
  alternative: string = "";
  /** The attribute path. */
  path: Array<string> = [];
  /** The capture group. */
  group: i32 = 0;
  /** The compiled `%CEL(...)%` expression. */
  program: CelProgram | null = null;

  constructor(
    public kind: CommandKind,
    /** `:N` after the command: at most N characters of the value; -1 for no limit. */
    public maxLength: i32,
  ) {}
}

/** A command, or why it is refused. */
export class CommandResult {
  constructor(
    public command: Command | null,
    public error: string,
  ) {}
}

/** Builds command `name` with its argument, for `phase`; `captures` is the rule's path regex, if any. */
export function commandFor(
  name: string,
  argument: string,
  hasArgument: bool,
  maxLength: i32,
  phase: Phase,
  captures: Regex | null,
): CommandResult {
  const withArgument = name == "REQ" || name == "RESP" || name == "CAPTURE" || name == "JWT_CLAIM" || name == "CEL";
  if (withArgument && (!hasArgument || argument.length == 0)) return refuse("%" + name + "(…)% needs an argument");
  if (name == "REQ" || name == "RESP") return header(name, argument, maxLength, phase);
  if (name == "START_TIME") {
    const command = new Command(CommandKind.StartTime, maxLength);
    command.argument = argument;
    const invalid = hasArgument ? isValidTimeFormat(argument) : "";
    return invalid.length > 0 ? refuse("%START_TIME(" + argument + ")%: " + invalid) : accept(command);
  }
  if (name == "CAPTURE") return capture(argument, maxLength, captures);
  if (name == "JWT_CLAIM") {
    const path = parseJsonPath(argument);
    if (path == null) return refuse("claim path " + argument + " is not a dotted path");
    const command = new Command(CommandKind.Claim, maxLength);
    command.path = path;
    return accept(command);
  }
  if (name == "CEL") {
    const compiled = CelProgram.compile(argument);
    if (compiled.program == null) return refuse("%CEL(" + argument + ")%: " + compiled.error);
    const command = new Command(CommandKind.Cel, maxLength);
    command.program = compiled.program;
    return accept(command);
  }
  const made = attribute(name, maxLength, phase);
  return made.command != null && hasArgument ? refuse("%" + name + "% takes no argument") : made;
}

function header(name: string, argument: string, maxLength: i32, phase: Phase): CommandResult {
  if (name == "RESP" && phase == Phase.Request) return refuse("%RESP(…)% is only known in response operations");
  const command = new Command(name == "REQ" ? CommandKind.RequestHeader : CommandKind.ResponseHeader, maxLength);
  const question = argument.indexOf("?");
  command.argument = asciiLowerCase(question < 0 ? argument : argument.substring(0, question));
  command.alternative = question < 0 ? "" : asciiLowerCase(argument.substring(question + 1));
  if (name == "REQ") {
    command.argument = requestHeaderKey(command.argument);
    command.alternative = requestHeaderKey(command.alternative);
  }
  if (command.argument.length == 0 || (question >= 0 && command.alternative.length == 0)) {
    return refuse("%" + name + "(" + argument + ")% needs header names");
  }
  return accept(command);
}

function capture(argument: string, maxLength: i32, captures: Regex | null): CommandResult {
  if (captures == null) return refuse("%CAPTURE(" + argument + ")% needs a match.path with safe_regex in the rule");
  const command = new Command(CommandKind.Capture, maxLength);
  let group = -1;
  const first = argument.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39 && argument.length <= 3) {
    group = I32.parseInt(argument);
    if (group > captures.groupCount) group = -1;
  } else {
    group = captures.groupIndex(argument);
  }
  if (group < 0) return refuse("%CAPTURE(" + argument + ")%: the path regex has no such group");
  command.group = group;
  return accept(command);
}

// Envoy's operators over connection and stream attributes, by the attribute that holds each.
function attribute(name: string, maxLength: i32, phase: Phase): CommandResult {
  let kind = CommandKind.Attribute;
  let path: string = "";
  let responseOnly = false;
  if (name == "DOWNSTREAM_REMOTE_ADDRESS") path = "source.address";
  else if (name == "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT") {
    path = "source.address";
    kind = CommandKind.AttributeWithoutPort;
  } else if (name == "DOWNSTREAM_REMOTE_PORT") {
    path = "source.port";
    kind = CommandKind.NumberAttribute;
  } else if (name == "DOWNSTREAM_LOCAL_ADDRESS") path = "destination.address";
  else if (name == "DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT") {
    path = "destination.address";
    kind = CommandKind.AttributeWithoutPort;
  } else if (name == "DOWNSTREAM_LOCAL_PORT") {
    path = "destination.port";
    kind = CommandKind.NumberAttribute;
  } else if (name == "DOWNSTREAM_PEER_URI_SAN") path = "connection.uri_san_peer_certificate";
  else if (name == "DOWNSTREAM_LOCAL_URI_SAN") path = "connection.uri_san_local_certificate";
  else if (name == "DOWNSTREAM_PEER_DNS_SAN") path = "connection.dns_san_peer_certificate";
  else if (name == "DOWNSTREAM_LOCAL_DNS_SAN") path = "connection.dns_san_local_certificate";
  else if (name == "DOWNSTREAM_PEER_SUBJECT") path = "connection.subject_peer_certificate";
  else if (name == "DOWNSTREAM_LOCAL_SUBJECT") path = "connection.subject_local_certificate";
  else if (name == "DOWNSTREAM_TLS_VERSION") path = "connection.tls_version";
  else if (name == "DOWNSTREAM_PEER_FINGERPRINT_256") path = "connection.sha256_peer_certificate_digest";
  else if (name == "REQUESTED_SERVER_NAME") path = "connection.requested_server_name";
  else if (name == "CONNECTION_ID") {
    path = "connection.id";
    kind = CommandKind.NumberAttribute;
  } else if (name == "PROTOCOL") path = "request.protocol";
  else if (name == "ROUTE_NAME") path = "xds.route_name";
  else if (name == "UPSTREAM_CLUSTER") path = "xds.cluster_name";
  else if (name == "UPSTREAM_REMOTE_ADDRESS") {
    path = "upstream.address";
    responseOnly = true;
  } else if (name == "RESPONSE_CODE") {
    path = "response.code";
    kind = CommandKind.NumberAttribute;
    responseOnly = true;
  } else if (name == "RESPONSE_CODE_DETAILS") {
    path = "response.code_details";
    responseOnly = true;
  } else {
    return refuse("%" + name + "% is not a supported command (see the README's list)");
  }
  if (responseOnly && phase == Phase.Request) return refuse("%" + name + "% is only known in response operations");
  const command = new Command(kind, maxLength);
  command.path = path.split(".");
  return accept(command);
}

function accept(command: Command): CommandResult {
  return new CommandResult(command, "");
}

function refuse(message: string): CommandResult {
  return new CommandResult(null, message);
}
