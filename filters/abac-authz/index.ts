// abac-authz: Istio AuthorizationPolicy (ALLOW, DENY, AUDIT) with CEL conditions, per request.

export * from "../../assembly/abi/exports";
import { registerRootContext } from "../../assembly";
import { AbacAuthzRoot } from "./filter";

registerRootContext((id: u32) => new AbacAuthzRoot(id), "abac-authz");
