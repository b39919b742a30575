// The one error type of the OCI registry client: a step ("upload blob sha256:…", "put manifest v1")
// and a one-line reason. Registry error bodies follow the distribution spec's
// {"errors":[{"code","message","detail"}]} shape (opencontainers/distribution-spec spec.md).

/** A failed registry step; `message` is "<step>: <reason>" on one line. */
export class RegistryError extends Error {
  /** What the client was doing, e.g. "upload blob sha256:0123456789ab". */
  readonly step: string;
  /** Why it failed, without the step. */
  readonly reason: string;

  constructor(step: string, reason: string) {
    super(`${step}: ${reason}`);
    this.name = "RegistryError";
    this.step = step;
    this.reason = reason;
  }
}

/** A short form of `digest` for messages: the algorithm and the first 12 hex digits. */
export function shortDigest(digest: string): string {
  return digest.slice(0, "sha256:".length + 12);
}

/** The reason a network failure of Node's fetch gives, e.g. "connection refused (http://127.0.0.1:5000)". */
export function networkReason(error: unknown, origin: string): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: "connection refused",
    ECONNRESET: "connection reset by the registry",
    ENOTFOUND: "host not found",
    EAI_AGAIN: "host name lookup failed",
    ETIMEDOUT: "connection timed out",
    UND_ERR_SOCKET: "the registry closed the connection",
    EPROTO: "TLS handshake failed (is it a plain-HTTP registry? see --insecure)",
  };
  const text = (code !== undefined ? known[code] : undefined) ?? cause?.message ?? (error as Error).message;
  return `${text} (${origin})`;
}

/** A one-line summary of a failed response: status, and the registry's first error code and message. */
export async function responseReason(response: Response): Promise<string> {
  const status = `${response.status} ${response.statusText}`.trim();
  const body = await response.text().catch(() => "");
  try {
    const first = (JSON.parse(body) as { errors?: { code?: string; message?: string }[] }).errors?.[0];
    if (first?.code !== undefined) return `registry answered ${status} (${first.code}: ${first.message ?? ""})`;
  } catch {
    // Not the spec's JSON error body; fall through to the raw text.
  }
  const text = body.replace(/\s+/g, " ").trim().slice(0, 200);
  return text === "" ? `registry answered ${status}` : `registry answered ${status}: ${text}`;
}
