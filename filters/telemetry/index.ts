// telemetry: Istio's standard metrics, custom metrics, access logs and trace context, per request.

export * from "../../assembly/abi/exports";
import { registerRootContext } from "../../assembly";
import { TelemetryRoot } from "./filter";

registerRootContext((id: u32) => new TelemetryRoot(id), "telemetry");
