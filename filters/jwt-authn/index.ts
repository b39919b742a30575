// jwt-authn: verifies JWTs as Envoy's jwt_authn filter does (providers, requirement trees, Istio
// jwtRules), and publishes verified claims to filter state for later filters.

export * from "../../assembly/abi/exports";
import { registerRootContext } from "../../assembly";
import { JwtAuthnRoot } from "./filter";

registerRootContext((id: u32) => new JwtAuthnRoot(id), "jwt-authn");
