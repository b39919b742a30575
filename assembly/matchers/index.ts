// Matchers Envoy and Istio configure: string matchers (and an index deciding many at once), Istio
// path templates, CIDR sets.

export { StringMatchKind, StringMatcher, StringMatcherResult } from "./string-matcher";
export { StringMatcherIndex } from "./matcher-index";
export { readStringMatcher } from "./json";
export { PathTemplate, PathTemplateResult } from "./path-template";
export { IpAddress } from "./ip-address";
export { CidrRange, CidrRangeResult, CidrSet, parseCidr } from "./cidr";
