// What parsing one rule's operations needs: the phase they run in, the rule's path regex (for
// %CAPTURE%), the guard rails, and a record of the request headers response templates read.

import { asciiLowerCase, JsonReader, Regex, requestHeaderKey } from "../../assembly";
import { Phase } from "./commands";
import { HeaderGuard, isHeaderName } from "./guard";
import { Template, parseTemplate } from "./template";

/** The context operations of one rule and phase are parsed in. */
export class OpScope {
  /** Request headers that templates of the response phase read (copied during the request). */
  requestHeaders: Array<string> = [];

  constructor(
    /** The phase the operations run in. */
    public phase: Phase,
    /** The rule's path regex, for `%CAPTURE(...)%`. */
    public captures: Regex | null,
    /** Which headers may be changed. */
    public guard: HeaderGuard,
  ) {}

  /** Reads a template string; records the error on `reader` and returns null when it is not one. */
  template(reader: JsonReader): Template | null {
    const text = reader.string();
    if (!reader.ok) return null;
    const parsed = parseTemplate(text, this.phase, this.captures);
    const template = parsed.template;
    if (template == null) {
      reader.fail(parsed.error);
      return null;
    }
    if (this.phase == Phase.Response) {
      const names = template.requestHeaders();
      for (let i = 0; i < names.length; i++)
        if (!this.requestHeaders.includes(names[i])) this.requestHeaders.push(names[i]);
    }
    return template;
  }

  /** Reads a header name the rule writes (lower-cased, as the phase's map keeps it); records why it is refused. */
  writableName(reader: JsonReader): string {
    const name = this.headerKey(reader.string());
    if (!reader.ok) return "";
    if (!isHeaderName(name)) reader.fail('is not a valid header name: "' + name + '"');
    else if (!this.guard.permits(name)) reader.fail(name + " is protected; list it in allow_headers to change it");
    return name;
  }

  /** Reads a header name the rule only reads (lower-cased, as the phase's map keeps it). */
  readableName(reader: JsonReader): string {
    const name = this.headerKey(reader.string());
    if (reader.ok && !isHeaderName(name)) reader.fail('is not a valid header name: "' + name + '"');
    return name;
  }

  // Header `name` as the phase's map keeps it: lower case, and `host` is `:authority` in requests.
  private headerKey(name: string): string {
    const lower = asciiLowerCase(name);
    return this.phase == Phase.Request ? requestHeaderKey(lower) : lower;
  }
}
