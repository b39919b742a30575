// Registry credentials and the two challenge flows registries use: Basic, and Bearer tokens from the
// realm a 401's WWW-Authenticate names (Distribution's docs/spec/auth/token.md). Credentials come from
// ENVOY_AS_REGISTRY_USERNAME/PASSWORD, else from Docker's config.json `auths.<host>.auth`
// (base64 "user:pass", or `username`/`password`), in $DOCKER_CONFIG or ~/.docker.

import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { networkReason, RegistryError, responseReason } from "./registry-error.js";

/** A user name and password for one registry, and where they were found (for messages). */
export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, e.g. "ENVOY_AS_REGISTRY_USERNAME" or a config.json path. */
  source: string;
}

/** The environment variable that holds the registry user name. */
export const USERNAME_VARIABLE = "ENVOY_AS_REGISTRY_USERNAME";
/** The environment variable that holds the registry password (or token). */
export const PASSWORD_VARIABLE = "ENVOY_AS_REGISTRY_PASSWORD";

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
}

/** The path of Docker's client config file under `env` ($DOCKER_CONFIG/config.json or ~/.docker/config.json). */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), ".docker"), "config.json");
}

// Docker writes keys as "host", "https://host" or "https://host/v1/"; compare the host part only.
function authKeyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, "");
}

function fromDockerConfig(registry: string, path: string): Credentials | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return null;
  }
  let auths: Record<string, DockerAuthEntry> | undefined;
  try {
    auths = (JSON.parse(text) as { auths?: Record<string, DockerAuthEntry> }).auths;
  } catch {
    throw new RegistryError("read credentials", `${path} is not valid JSON`);
  }
  const key = Object.keys(auths ?? {}).find((name) => authKeyHost(name) === registry);
  const entry = key === undefined ? undefined : auths![key];
  if (entry === undefined) return null;
  if (entry.auth !== undefined && entry.auth !== "") {
    const pair = Buffer.from(entry.auth, "base64").toString("utf8");
    const colon = pair.indexOf(":");
    if (colon < 0)
      throw new RegistryError("read credentials", `${path}: auths["${key}"].auth is not base64 of user:password`);
    return { username: pair.slice(0, colon), password: pair.slice(colon + 1), source: path };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password, source: path };
  }
  return null;
}

/** The credentials for `registry` (host[:port]) from `env`, then Docker's config file; null when there are none. */
export function findCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Credentials | null {
  const username = env[USERNAME_VARIABLE];
  const password = env[PASSWORD_VARIABLE];
  if (username !== undefined || password !== undefined) {
    if (username === undefined || password === undefined) {
      throw new RegistryError("read credentials", `set both ${USERNAME_VARIABLE} and ${PASSWORD_VARIABLE}, or neither`);
    }
    return { username, password, source: USERNAME_VARIABLE };
  }
  return fromDockerConfig(registry, dockerConfigPath(env));
}

/** A parsed WWW-Authenticate challenge: its scheme (lowercase) and parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses the first challenge of a WWW-Authenticate header, e.g. `Bearer realm="…",service="…"`. */
export function parseChallenge(header: string): Challenge | null {
  const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s*(.*)$/s.exec(header);
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const param of match[2]!.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
    params[param[1]!.toLowerCase()] = param[2] !== undefined ? param[2].replace(/\\(.)/g, "$1") : param[3]!;
  }
  return { scheme: match[1]!.toLowerCase(), params };
}

function basic(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

/** The Authorization state of one client: answers 401 challenges and remembers what worked. */
export class RegistryAuth {
  private authorization: string | null = null;

  /** `scope` is asked for when a Bearer challenge names none, e.g. "repository:filters/jwt:pull,push". */
  constructor(
    private readonly credentials: Credentials | null,
    private readonly scope: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  /** The Authorization header to send now, or null to go anonymously. */
  header(): string | null {
    return this.authorization;
  }

  /** Why the registry still refuses after the challenge was answered, for the final error line. */
  refusal(): string {
    if (this.credentials === null) {
      return `401 Unauthorized: the registry needs credentials (set ${USERNAME_VARIABLE} and ${PASSWORD_VARIABLE}, or run docker login)`;
    }
    return `401 Unauthorized: the registry refused the credentials of "${this.credentials.username}" (from ${this.credentials.source})`;
  }

  /** Updates the Authorization header from a 401's WWW-Authenticate `challenge`; throws a RegistryError when it cannot. */
  async answer(challenge: string | null, step: string): Promise<void> {
    const parsed = challenge === null ? null : parseChallenge(challenge);
    if (parsed?.scheme === "bearer") {
      this.authorization = `Bearer ${await this.token(parsed.params, step)}`;
    } else if (parsed?.scheme === "basic" || parsed === null) {
      if (this.credentials === null) throw new RegistryError(step, this.refusal());
      this.authorization = basic(this.credentials);
    } else {
      throw new RegistryError(step, `unsupported authentication scheme "${parsed.scheme}"`);
    }
  }

  private async token(params: Record<string, string>, step: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(params.realm ?? "");
    } catch {
      throw new RegistryError(step, `the registry's Bearer challenge has no usable realm (${params.realm ?? "none"})`);
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new RegistryError(step, `the token realm ${url.href} is not an http(s) URL`);
    }
    if (params.service !== undefined) url.searchParams.set("service", params.service);
    url.searchParams.append("scope", params.scope ?? this.scope);
    const headers: Record<string, string> = this.credentials === null ? {} : { authorization: basic(this.credentials) };
    let response: Response;
    try {
      response = await this.fetchFn(url, { headers });
    } catch (error) {
      throw new RegistryError(`${step} (token)`, networkReason(error, url.origin));
    }
    if (response.status === 401 || response.status === 403) {
      const who = this.credentials === null ? "anonymous access" : `the credentials of "${this.credentials.username}"`;
      throw new RegistryError(`${step} (token)`, `token server ${url.origin} refused ${who} (${response.status})`);
    }
    if (!response.ok) throw new RegistryError(`${step} (token)`, await responseReason(response));
    const body = (await response.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (typeof token !== "string" || token === "") {
      throw new RegistryError(`${step} (token)`, `token server ${url.origin} answered without a token`);
    }
    return token;
  }
}
