// The rules a request matched, kept by its stream until the stream is deleted. Lists and entries
// go back to a pool then, so a stream that matches takes them without allocating.

import { RegexMatch } from "../../assembly";
import { Rule } from "./config";

/** A rule that matched the request, with its path regex match. */
export class MatchedRule {
  /** Whether the rule's response condition held. */
  responseApplies: bool = false;

  constructor(
    /** The rule. */
    public rule: Rule,
    /** The match of the rule's path regex, for `%CAPTURE(n)%`. */
    public match: RegexMatch | null,
  ) {}
}

/** The matched rules of every stream no rule matched; never written to. */
export const NONE_MATCHED = new Array<MatchedRule>();

// Enough for the streams one worker has open at once; beyond it, given-back entries are dropped.
const MAX_SPARE_LISTS = 64;
const MAX_SPARE_ENTRIES = 256;

/** Lists and entries of deleted streams, for the next streams of the plugin. */
export class MatchedPool {
  private lists: Array<Array<MatchedRule>> = [];
  private entries: Array<MatchedRule> = [];

  /** An empty list. */
  list(): Array<MatchedRule> {
    return this.lists.length > 0 ? this.lists.pop() : new Array<MatchedRule>();
  }

  /** An entry for `rule` and its path regex `match`. */
  entry(rule: Rule, match: RegexMatch | null): MatchedRule {
    if (this.entries.length == 0) return new MatchedRule(rule, match);
    const entry = this.entries.pop();
    entry.rule = rule;
    entry.match = match;
    entry.responseApplies = false;
    return entry;
  }

  /** Takes back `list` and its entries, which the deleted stream that held them no longer reads. */
  giveBack(list: Array<MatchedRule>): void {
    for (let i = 0; i < list.length && this.entries.length < MAX_SPARE_ENTRIES; i++) {
      const entry = list[i];
      entry.match = null;
      this.entries.push(entry);
    }
    list.length = 0;
    if (this.lists.length < MAX_SPARE_LISTS) this.lists.push(list);
  }
}
