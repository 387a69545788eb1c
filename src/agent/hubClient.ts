// A client for the Docker-Hub-compatible account API (docs/registry-token-service.md). The same code talks to
// a Bosun server and to Docker Hub itself, so it uses only Hub's documented endpoints and field names.
// Every response body is schema-validated before use: a server is an input like any other.
import type { ValidateFunction } from 'ajv';
import { describeSchemaErrors, schemaRegistry } from '../common/schemas.js';
import { tooManyFailedSignIns } from '../core/authentication/signInThrottle.js';

export interface OrgImageAccess {
  enabled: boolean;
  allowOfficialImages: boolean;
  allowVerifiedPublishers: boolean;
}

/** The credentials were refused (HTTP 401/403 on sign-in). */
export class HubAuthError extends Error {
  override name = 'HubAuthError';
}
/** The server could not be reached, timed out, or failed (5xx): offline grace applies, not sign-out. */
export class HubUnreachableError extends Error {
  override name = 'HubUnreachableError';
}
/** The server answered something that is not the documented API. */
export class HubProtocolError extends Error {
  override name = 'HubProtocolError';
}

export interface HubClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Upper bound on followed `next` links, so a misbehaving server cannot keep the agent paging forever. */
const MAX_PAGES = 50;

function validator(def: string): ValidateFunction {
  const fn = schemaRegistry().getSchema(`hub-responses.schema.json#/$defs/${def}`);
  if (!fn) throw new Error(`hub-responses.schema.json has no $defs/${def}`);
  return fn;
}

export class HubClient {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly doFetch: typeof fetch;

  constructor(opts: HubClientOptions) {
    this.base = new URL(opts.baseUrl.endsWith('/') ? opts.baseUrl : opts.baseUrl + '/');
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.doFetch = opts.fetch ?? fetch;
  }

  /** `POST /v2/auth/token {identifier, secret}` → the short-lived access token. secret: password or PAT. */
  async signIn(identifier: string, secret: string): Promise<string> {
    const body = await this.request('POST', 'v2/auth/token', { json: { identifier, secret }, def: 'authToken', signIn: true });
    return (body as { access_token: string }).access_token;
  }

  /** `GET /v2/user/` → the signed-in account's name. */
  async username(accessToken: string): Promise<string> {
    const body = await this.request('GET', 'v2/user/', { token: accessToken, def: 'user' });
    return (body as { username: string }).username;
  }

  /** `GET /v2/user/orgs/`, following Hub's `next` links: every org the account belongs to, lowercased. */
  async orgs(accessToken: string): Promise<string[]> {
    const out: string[] = [];
    let next: string | null = new URL('v2/user/orgs/?page_size=100', this.base).toString();
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const nextUrl: URL = new URL(next);
      if (nextUrl.origin !== this.base.origin) throw new HubProtocolError(`the server sent a next-page link to another origin: ${nextUrl.origin}`);
      const body = (await this.request('GET', nextUrl, { token: accessToken, def: 'orgPage' })) as {
        next?: string | null;
        results: { orgname: string }[];
      };
      out.push(...body.results.map((r) => r.orgname.toLowerCase()));
      next = body.next ?? null;
    }
    return [...new Set(out)];
  }

  /** `GET /v2/orgs/{org}/settings` → Image Access Management (`restricted_images`), readable by members. */
  async orgImageAccess(accessToken: string, org: string): Promise<OrgImageAccess> {
    const body = (await this.request('GET', `v2/orgs/${encodeURIComponent(org)}/settings`, { token: accessToken, def: 'orgSettings' })) as {
      restricted_images: { enabled: boolean; allow_official_images: boolean; allow_verified_publishers: boolean };
    };
    const r = body.restricted_images;
    return { enabled: r.enabled, allowOfficialImages: r.allow_official_images, allowVerifiedPublishers: r.allow_verified_publishers };
  }

  private async request(method: 'GET' | 'POST', path: string | URL, opts: { json?: unknown; token?: string; def: string; signIn?: boolean }): Promise<unknown> {
    const url = typeof path === 'string' ? new URL(path, this.base) : path;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.json !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let res: Response;
    try {
      res = await this.doFetch(url, {
        method,
        headers,
        ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      throw new HubUnreachableError(`cannot reach ${this.base.origin}: ${causeOf(err)}`);
    }
    if (res.status >= 500) throw new HubUnreachableError(`${this.base.origin} answered ${res.status} to ${method} ${url.pathname}`);
    if (res.status === 401 || (opts.signIn && res.status === 403)) {
      throw new HubAuthError(opts.signIn ? 'the username or password/token was not accepted' : 'the session is no longer valid');
    }
    // The server's own wording, with the wait it sent in Retry-After (seconds), so the agent and the server agree.
    if (res.status === 429) throw new HubUnreachableError(`${this.base.origin}: ${tooManyFailedSignIns(Number(res.headers.get('retry-after') ?? Number.NaN))}`);
    const text = await res.text();
    if (!res.ok) throw new HubProtocolError(`${method} ${url.pathname} answered ${res.status}: ${serverMessage(text)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new HubProtocolError(`${method} ${url.pathname} did not answer JSON`);
    }
    const validate = validator(opts.def);
    if (!validate(body)) {
      const issues = describeSchemaErrors(validate.errors).map((i) => `${i.path || '/'} ${i.message}`);
      throw new HubProtocolError(`${method} ${url.pathname} answered an unexpected body: ${issues.join('; ')}`);
    }
    return body;
  }
}

function causeOf(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    if (err.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}

/** A server's own error message, shortened; never echoes anything we sent. */
function serverMessage(text: string): string {
  try {
    const j = JSON.parse(text) as { detail?: string; message?: string; errors?: { message?: string }[] };
    return (j.detail ?? j.message ?? j.errors?.[0]?.message ?? text).slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}
