// The request headers read once (one host call) and looked up by name, as Envoy's header matchers
// see them: every value of a name joined with ",".

import { Header, joinedHeaderValue } from "../../assembly";

/** A read-only copy of a header map. */
export class Headers {
  constructor(private pairs: Array<Header>) {}

  /** Every value of header `name` (lower case) joined with ",", or null when absent. */
  get(name: string): string | null {
    return joinedHeaderValue(this.pairs, name);
  }
}
