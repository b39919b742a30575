// The attributes a request's CEL metrics and access log fields read at the end of the stream:
// Envoy's, except that `response.code` comes from the request's facts, which the standard labels
// read too, and one request header map serves every expression, so Envoy is asked for each once.

import { CelValue, EnvoyAttributes, HeaderAttributeMap, celInt, noSuchAttribute } from "../../assembly";
import { ABSENT, RequestFacts } from "./standard";

/** Envoy's attributes for one request, sharing its response code with the standard labels and one request header map between expressions. */
export class RequestAttributes extends EnvoyAttributes {
  private requestHeaders: HeaderAttributeMap | null = null;

  constructor(private facts: RequestFacts) {
    super();
  }

  /** The attribute `name`, as EnvoyAttributes resolves it. */
  resolve(name: string): CelValue | null {
    if (name == "response.code") {
      const code = this.facts.responseCode();
      return code == ABSENT ? noSuchAttribute(name) : celInt(code);
    }
    if (name == "request.headers") {
      let headers = this.requestHeaders;
      if (headers == null) {
        headers = new HeaderAttributeMap("request", "headers");
        this.requestHeaders = headers;
      }
      return headers;
    }
    return super.resolve(name);
  }
}
