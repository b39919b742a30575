// Matchers Envoy and Istio configure: string matchers, Istio path templates, CIDR sets.

export { StringMatchKind, StringMatcher, StringMatcherResult } from "./string-matcher";
export { readStringMatcher } from "./json";
export { PathTemplate, PathTemplateResult } from "./path-template";
export { IpAddress } from "./ip-address";
export { CidrRange, CidrRangeResult, CidrSet, parseCidr } from "./cidr";
