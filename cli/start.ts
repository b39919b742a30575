// `envoy-as start` (what `npm start` runs after building): the demo chain with its services, in real
// Envoy when one is installed, else in the dev proxy; says which, prints the curl commands to try,
// and stops everything on Ctrl-C.

import { devCommand, printDemoScript, startDemoServices } from "./dev.js";
import { DEFAULT_ENVOY_CONFIG, ENVOY_INSTALL_HINT, envoyCommand, findEnvoy } from "./envoy.js";

/** Runs the demo until Ctrl-C; returns the exit code. */
export async function startCommand(
  root: string,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const envoy = findEnvoy();
  if (!envoy) {
    out(`envoy-as start: the dev proxy serves ${DEFAULT_ENVOY_CONFIG} (real Envoy would: ${ENVOY_INSTALL_HINT})`);
    return devCommand([DEFAULT_ENVOY_CONFIG], out);
  }
  const services = await startDemoServices(DEFAULT_ENVOY_CONFIG);
  out(`envoy-as start: real Envoy ${envoy.version} (via ${envoy.via}) serves ${DEFAULT_ENVOY_CONFIG}; try:`);
  await printDemoScript(DEFAULT_ENVOY_CONFIG, out);
  try {
    return await envoyCommand([DEFAULT_ENVOY_CONFIG], { root, err });
  } finally {
    await services?.stop();
  }
}
