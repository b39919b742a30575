// header-rewrite: adds, sets and removes request and response headers from JSON configuration.

export * from "../../assembly/abi/exports";
import { registerRootContext } from "../../assembly";
import { HeaderRewriteRoot } from "./filter";

registerRootContext((id: u32) => new HeaderRewriteRoot(id), "header-rewrite");
