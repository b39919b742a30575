// The curl commands the demo prints, and the answers they give: the e2e suite sends exactly these
// requests to the dev proxy and to real Envoy.

/** One documented demo request. */
export interface DemoCase {
  /** What it shows. */
  title: string;
  /** The command to paste (`$ALICE` and `$BOB` are tokens minted first). */
  curl: string;
  /** The request: path, headers (with `$ALICE` / `$BOB` placeholders). */
  path: string;
  headers: [string, string][];
  /** The status the command gives. */
  status: number;
}

/** The demo's requests. */
export function demoCases(listenerPort: number): DemoCase[] {
  const base = `http://127.0.0.1:${listenerPort}`;
  return [
    {
      title: "allowed: a valid token; the echo shows x-user and x-tenant set from its claims",
      curl: `curl -s ${base}/api/hello -H "authorization: Bearer $ALICE" -H "x-debug-trace: 1"`,
      path: "/api/hello",
      headers: [
        ["authorization", "Bearer $ALICE"],
        ["x-debug-trace", "1"],
      ],
      status: 200,
    },
    {
      title: "denied by jwt-authn: no token (401)",
      curl: `curl -si ${base}/api/hello`,
      path: "/api/hello",
      headers: [],
      status: 401,
    },
    {
      title: "denied by abac-authz: a viewer on an admin path (403 RBAC: access denied)",
      curl: `curl -si ${base}/api/admin/users -H "authorization: Bearer $BOB"`,
      path: "/api/admin/users",
      headers: [["authorization", "Bearer $BOB"]],
      status: 403,
    },
    {
      title: "public: no token needed",
      curl: `curl -si ${base}/public/status`,
      path: "/public/status",
      headers: [],
      status: 200,
    },
  ];
}

/** The commands to print, with the token minting first and the metrics and logs last. */
export function demoScript(ports: { listener: number; admin: number; idp: number; collector: number }): string {
  const idp = `http://127.0.0.1:${ports.idp}/token`;
  const lines = [
    `ALICE=$(curl -s '${idp}?sub=alice&role=admin&tenant=acme')`,
    `BOB=$(curl -s '${idp}?sub=bob&role=viewer')`,
    "",
  ];
  for (const c of demoCases(ports.listener)) lines.push(`# ${c.title}`, c.curl, "");
  lines.push(
    "# metrics, with Istio's labels",
    `curl -s http://127.0.0.1:${ports.admin}/stats/prometheus | grep -E '^(istio_requests_total|demo_requests_total)'`,
    "",
    "# access log lines the collector received",
    `curl -s http://127.0.0.1:${ports.collector}/logs`,
  );
  return lines.join("\n");
}
