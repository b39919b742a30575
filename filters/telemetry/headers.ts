// The request headers read once (one host call) and looked up by name, as Envoy's header matchers
// see them: every value of a name joined with ",".

import { Header } from "../../assembly";

/** A read-only copy of a header map. */
export class Headers {
  constructor(private pairs: Array<Header>) {}

  /** Every value of header `name` (lower case) joined with ",", or null when absent. */
  get(name: string): string | null {
    let joined: string | null = null;
    for (let i = 0; i < this.pairs.length; i++) {
      if (this.pairs[i].name != name) continue;
      joined = joined == null ? this.pairs[i].value : joined + "," + this.pairs[i].value;
    }
    return joined;
  }
}
