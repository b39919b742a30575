// The attributes a request's CEL metrics and access log fields read: Envoy's, except that
// `response.code` comes from the request's facts, which the standard labels read too, so Envoy is
// asked for it once.

import { CelValue, EnvoyAttributes, celInt, noSuchAttribute } from "../../assembly";
import { ABSENT, RequestFacts } from "./standard";

/** Envoy's attributes for one request, sharing its response code with the standard labels. */
export class RequestAttributes extends EnvoyAttributes {
  constructor(private facts: RequestFacts) {
    super();
  }

  /** The attribute `name`, as EnvoyAttributes resolves it. */
  resolve(name: string): CelValue | null {
    if (name == "response.code") {
      const code = this.facts.responseCode();
      return code == ABSENT ? noSuchAttribute(name) : celInt(code);
    }
    return super.resolve(name);
  }
}
