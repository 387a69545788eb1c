// The registry token endpoint (docs/registry-token-service.md, "Requests and answers"):
//   GET  /token   optional Basic auth (password or PAT); service, repeated scope, account,
//                 offline_token, client_id. The classic daemon's first request.
//   POST /token   form: grant_type=password|refresh_token, service, client_id, scope (space-separated),
//                 access_type=offline. containerd and BuildKit start here; the daemon refreshes here.
// Responses carry both `token` and `access_token`, `expires_in` ≥ 60 and `issued_at` (RFC 3339);
// `refresh_token` only when offline access was asked for, and never on a refresh (the daemon throws
// new ones away, so rotating would lock it out). 401 only for bad credentials; 403 with
// {"errors":[{"code":"DENIED","message":…}]} when nothing at all was granted; docker shows the
// message as `denied: …`.
import { tokenParamsProblem } from './tokenParams.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessFacts, Credential, Principal } from '../../core/access/accessFacts.js';
import { decideTokenRequest, parseRequestedScopes, requestedRepositories, type ScopeOutcome } from '../../core/access/tokenRequest.js';
import { parseBasicAuthorization } from '../../core/authentication/basicCredentials.js';
import { tooManyFailedSignIns } from '../../core/authentication/signInThrottle.js';
import { FailureLimiter } from './failureLimiter.js';
import { issueRegistryToken, type TokenSigner } from './registryToken.js';
import { TOKEN_ISSUER } from './registryConfig.js';
import type { SigningKeySource } from './signingKeys.js';

/**
 * Who a credential belongs to, as the directory says: authentication returns it once per request
 * and the token routes hand the same object back to `accessFacts` and `issueRefreshToken`, so the
 * directory may carry whatever it needs to answer them (the account) without looking it up again.
 */
export interface AuthenticatedSubject {
  /** Decides and names the caller: the decision, the audit and the token's `sub`. */
  principal: Extract<Principal, { kind: 'user' }>;
  credential: Credential;
  /** The PAT the caller signed in with, if any: a refresh token minted from it is bound to it. */
  patId?: number;
}

/** A refused credential: 401 bad credentials, 403 (e.g. a disabled account, with its reason), 429 rate-limited. */
export interface AuthRefusal {
  status: 401 | 403 | 429;
  message: string;
  retryAfterSec?: number;
  /** Who the audit names: an account's name, or a tag for a name that is no account (never the typed name: it may be a password). */
  auditActor?: string;
}

export interface TokenServiceDeps<S extends AuthenticatedSubject = AuthenticatedSubject> {
  /** Called when a token request starts, before any call below (the directory's read cache checks for other processes' changes here). */
  startRequest?(): void;
  /** A username with a password or a PAT. The directory rate-limits and audits its own failures. */
  authenticateBasic(username: string, secret: string, ip: string): Promise<S | AuthRefusal>;
  /** A refresh token; undefined when unknown, revoked or expired. Checked on every request, so revocation is immediate. */
  authenticateRefreshToken(token: string): Promise<S | undefined>;
  /**
   * A new refresh token for an offline-access request, bound to the subject's user and, after a
   * PAT sign-in, to the PAT: it keeps the PAT's scopes and expiry and dies with it
   * (docs/registry-token-service.md, "Refresh tokens").
   */
  issueRefreshToken(subject: S, clientId: string): Promise<string>;
  /** AccessFacts for each repository, looked up in one snapshot of the directory; `undefined` is the anonymous caller. */
  accessFacts(subject: S | undefined, repositories: readonly string[]): Promise<Map<string, AccessFacts>>;
  /** The `service` names of the registries in the applied file; a request for another service is refused. */
  knownServices(): Promise<readonly string[]>;
  audit(record: TokenAuditRecord): void;
  signingKeys: SigningKeySource;
  /** Signs the tokens (batchSigner.ts); its owner closes it. */
  signer: TokenSigner;
  /** Failed refresh-token guesses allowed per address per minute (default 10); password guesses are the directory's to limit. */
  maxFailuresPerMinute?: number;
  now?: () => Date;
}

/** One audit record per decided scope (and one per refused credential). */
export interface TokenAuditRecord {
  action: 'registry.token';
  principal: string;
  orgSession?: string;
  credential: Credential['kind'];
  service: string;
  clientId?: string;
  ip: string;
  scope: string;
  granted: string[];
  rule: string;
  reason: string;
}

type TokenParams = Record<string, string | string[] | undefined>;

/** More scopes than any client asks for at once (docker asks one to three); each costs a directory lookup. */
export const MAX_SCOPES_PER_REQUEST = 100;

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function errorBody(code: string, message: string) {
  return { errors: [{ code, message }] };
}

export async function registerTokenRoutes<S extends AuthenticatedSubject>(app: FastifyInstance, deps: TokenServiceDeps<S>): Promise<void> {
  const limiter = new FailureLimiter({ maxFailures: deps.maxFailuresPerMinute ?? 10, windowMs: 60_000 });
  const now = deps.now ?? (() => new Date());

  app.get('/token', async (request, reply) => {
    const invalid = tokenParamsProblem('get', request.query);
    if (invalid) return reply.code(400).header('cache-control', 'no-store').send(errorBody('INVALID_REQUEST', invalid));
    const q = request.query as TokenParams;
    const basic = parseBasicAuthorization(request.headers.authorization);
    if (request.headers.authorization !== undefined && basic.kind !== 'credentials') {
      return reply.code(401).send(errorBody('UNAUTHORIZED', 'the Authorization header must be Basic base64(user:password)'));
    }
    return handle(request, reply, {
      service: first(q.service),
      scope: all(q.scope),
      clientId: first(q.client_id),
      offline: first(q.offline_token) === 'true',
      login: basic.kind === 'credentials' ? { kind: 'basic', username: basic.userId, password: basic.password } : { kind: 'anonymous' },
    });
  });

  app.post('/token', async (request, reply) => {
    const invalid = tokenParamsProblem('post', request.body ?? {});
    if (invalid) return reply.code(400).header('cache-control', 'no-store').send(errorBody('INVALID_REQUEST', invalid));
    const f = (request.body ?? {}) as TokenParams;
    const grant = first(f.grant_type);
    const common = { service: first(f.service), scope: all(f.scope), clientId: first(f.client_id), offline: first(f.access_type) === 'offline' };
    if (grant === 'password') {
      const username = first(f.username) ?? '';
      const password = first(f.password) ?? '';
      return handle(request, reply, { ...common, login: { kind: 'basic', username, password } });
    }
    if (grant === 'refresh_token') {
      // A refresh grant never returns a new refresh token: offline is not asked again.
      return handle(request, reply, { ...common, offline: false, login: { kind: 'refresh', token: first(f.refresh_token) ?? '' } });
    }
    return reply.code(400).send(errorBody('UNSUPPORTED', `grant_type must be password or refresh_token, not ${JSON.stringify(grant ?? '')}`));
  });

  interface TokenCall {
    service: string | undefined;
    scope: string[];
    clientId: string | undefined;
    offline: boolean;
    login: { kind: 'anonymous' } | { kind: 'basic'; username: string; password: string } | { kind: 'refresh'; token: string };
  }

  async function handle(request: FastifyRequest, reply: FastifyReply, call: TokenCall) {
    deps.startRequest?.();
    reply.header('cache-control', 'no-store');
    const ip = request.ip;
    const service = call.service ?? '';
    if (!(await deps.knownServices()).includes(service)) {
      return reply
        .code(400)
        .send(
          errorBody(
            'INVALID_REQUEST',
            `service ${JSON.stringify(service)} is not a registry of this Bosun server; check the registry's auth.token.service (bosun server registry-config prints it)`,
          ),
        );
    }
    const requested = parseRequestedScopes(call.scope);
    if (requested.asked > MAX_SCOPES_PER_REQUEST) {
      return reply.code(400).send(errorBody('INVALID_REQUEST', `${requested.asked} scopes in one request; ask for at most ${MAX_SCOPES_PER_REQUEST}`));
    }
    const limiterKeys = [`ip:${ip}`];
    let subject: S | undefined;
    const refuse = (r: AuthRefusal) => {
      if (r.retryAfterSec) void reply.header('retry-after', String(r.retryAfterSec));
      // A refused account (403, e.g. disabled) is a denial docker shows as `denied: …`.
      const code = r.status === 401 ? 'UNAUTHORIZED' : r.status === 403 ? 'DENIED' : 'TOOMANYREQUESTS';
      return reply.code(r.status).send(errorBody(code, r.message));
    };
    if (call.login.kind === 'basic') {
      const who = await deps.authenticateBasic(call.login.username, call.login.password, ip);
      if ('status' in who) {
        deps.audit({
          action: 'registry.token',
          principal: who.auditActor ?? 'unknown user',
          credential: 'password',
          service,
          ...(call.clientId ? { clientId: call.clientId } : {}),
          ip,
          scope: call.scope.join(' ').slice(0, 500),
          granted: [],
          rule: `auth.refused-${who.status}`,
          reason: who.message,
        });
        return refuse(who);
      }
      subject = who;
    } else if (call.login.kind === 'refresh') {
      // Only failures are limited: a valid refresh token is never refused because others at the
      // same address (a NAT, a shared build host) sent bad ones. The token is checked first; an
      // address over its limit is answered 429 instead of 401, and its failures are not recorded.
      const who = await deps.authenticateRefreshToken(call.login.token);
      if (!who) {
        const wait = limiter.retryAfterSeconds(limiterKeys);
        if (wait > 0) return refuse({ status: 429, message: tooManyFailedSignIns(wait), retryAfterSec: wait });
        limiter.recordFailure(limiterKeys);
        deps.audit({
          action: 'registry.token',
          principal: '(refresh token)',
          credential: 'refresh',
          service,
          ...(call.clientId ? { clientId: call.clientId } : {}),
          ip,
          scope: call.scope.join(' ').slice(0, 500),
          granted: [],
          rule: 'auth.bad-credentials',
          reason: 'unknown or revoked refresh token',
        });
        return refuse({ status: 401, message: 'the refresh token is unknown, expired or revoked; sign in again' });
      }
      subject = who;
    }

    const principal: Principal = subject?.principal ?? { kind: 'anonymous' };
    const credential: Credential = subject?.credential ?? { kind: 'none' };
    const facts = await deps.accessFacts(subject, requestedRepositories(requested));
    const decision = decideTokenRequest({ principal, scopes: requested, facts });
    const orgSession = credential.kind === 'refresh' ? credential.orgSession : undefined;
    const auditOutcome = (o: ScopeOutcome) =>
      deps.audit({
        action: 'registry.token',
        principal: principal.kind === 'user' ? principal.name : 'anonymous',
        ...(orgSession !== undefined ? { orgSession } : {}),
        credential: credential.kind,
        service,
        ...(call.clientId ? { clientId: call.clientId } : {}),
        ip,
        scope: o.scope,
        granted: o.granted,
        rule: o.rule,
        reason: o.reason,
      });
    if (decision.outcomes.length === 0)
      auditOutcome({
        scope: '',
        granted: [],
        rule: principal.kind === 'user' ? 'login.no-scope' : 'anonymous.no-scope',
        reason: 'a token with no access (credentials check)',
      });
    for (const o of decision.outcomes) auditOutcome(o);
    if (decision.kind === 'deny') return reply.code(403).send(errorBody('DENIED', decision.message));

    const issuedAt = now();
    const key = await deps.signingKeys.current(issuedAt.getTime());
    const { token, expiresIn } = await issueRegistryToken(deps.signer, key, {
      issuer: TOKEN_ISSUER,
      audience: service,
      subject: principal.kind === 'user' ? principal.name : '',
      access: decision.access,
      now: issuedAt,
    });
    // A refresh token minted from a PAT is bound to it (scopes, expiry, revocation); without the PAT's id, fail closed.
    if (call.offline && credential.kind === 'pat' && subject?.patId === undefined)
      throw new Error('a PAT sign-in came without the PAT id; refusing to issue an unbound refresh token');
    const refreshToken = call.offline && subject ? await deps.issueRefreshToken(subject, call.clientId ?? '') : undefined;
    const body: Record<string, unknown> = { token, access_token: token, expires_in: expiresIn, issued_at: issuedAt.toISOString() };
    if (refreshToken !== undefined) body.refresh_token = refreshToken;
    return reply.send(body);
  }
}
