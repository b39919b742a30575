// The filter's counters, all defined in onConfigure so every rule reports from zero.

import { Counter, Label } from "../../assembly";

/** Per-rule and guard-rail counters. */
export class RewriteMetrics {
  /** Values a template rendered with characters a header cannot hold (the write was skipped). */
  invalidValue: Counter = Counter.define("header_rewrite_invalid_value_skipped");
  /** Headers `remove_matching` left alone because they are protected. */
  protectedSkipped: Counter = Counter.define("header_rewrite_protected_header_skipped");
  /** Bodies left untouched because they were not JSON. */
  bodyNotJson: Counter = Counter.define("header_rewrite_body_not_json");
  /** Bodies left untouched because they were larger than `max_body_bytes`. */
  bodyTooLarge: Counter = Counter.define("header_rewrite_body_too_large");
  /** Per rule: requests it matched (null for a rule that is not counted). */
  private readonly matchedByRule: Array<Counter | null> = [];

  /** Defines the per-rule counters, labelled with each rule's name; a null name is a rule not counted. */
  constructor(ruleNames: Array<string | null>) {
    for (let i = 0; i < ruleNames.length; i++) {
      const name = ruleNames[i];
      const labels = [new Label("rule", name == null ? "" : name)];
      this.matchedByRule.push(name == null ? null : Counter.define("header_rewrite_rule_matched", labels));
    }
  }

  /** Counts a match of rule `index`. */
  matched(index: i32): void {
    const counter = this.matchedByRule[index];
    if (counter != null) counter.increment();
  }
}
