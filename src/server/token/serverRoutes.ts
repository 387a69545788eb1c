// Wires the registry token service into the Bosun server (registered by buildServer in app.ts):
// /token backed by the directory, plus the API to query token decisions and to list and revoke the
// refresh tokens `docker login` obtained (sessions of kind 'docker-login' in store/sessions.ts).
// One place that knows both the token service and the store.
import { hash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Credential } from '../../core/access/accessFacts.js';
import { lastUseRecordingIntervalMs, refreshTokenState, type RefreshTokenTimes } from '../../core/authentication/refreshTokenLifetime.js';
import { refreshTokenTimes, type RefreshTokenOwner } from '../auth/authenticator.js';
import { userPrincipal } from '../accessFactsBuilder.js';
import type { ServerContext } from '../context.js';
import type { AuditEvent } from '../store/audit.js';
import type { User } from '../store/users.js';
import { HttpError, requireAccount } from '../http/errors.js';
import { isGlobalAdmin } from '../../core/access/permissionLevels.js';
import { AuditBatcher } from './auditBatcher.js';
import type { BatchSigner } from './batchSigner.js';
import { registerTokenRoutes, type AuthenticatedSubject, type TokenAuditRecord } from './routes.js';
import { SigningKeySource, ensureSigningKey } from './signingKeys.js';
import { DirectoryReadCache } from '../store/readCache.js';

export const TOKEN_AUDIT_ACTION = 'registry.token';

/** What a refresh token proves, as kept in the read cache (times only: the verdict is computed on every use). */
interface CachedRefreshToken {
  owner: RefreshTokenOwner;
  times: RefreshTokenTimes;
  /** Last use as this server knows it; updated in place when it records a use (that write does not empty the cache). */
  lastUsedMs: number;
}

function auditDetail(r: TokenAuditRecord): string {
  return (
    [
      `rule ${r.rule}`,
      `granted ${r.granted.length ? r.granted.join(',') : 'nothing'}`,
      `credential ${r.credential}`,
      ...(r.orgSession !== undefined ? [`org session ${r.orgSession}`] : []),
      `service ${r.service}`,
      ...(r.clientId ? [`client ${r.clientId}`] : []),
    ].join('; ') + `: ${r.reason}`
  );
}

/** An authenticated caller as the token service decides with it, carrying the account the facts are read for. */
interface AccountSubject extends AuthenticatedSubject {
  user: User;
}

function accountSubject(user: User, credential: Credential, patId: number | null): AccountSubject {
  return { user, principal: userPrincipal(user), credential, ...(patId !== null ? { patId } : {}) };
}

/** What the token service uses that the composition root owns. */
export interface RegistryTokenServiceDeps {
  /** The signing worker; the composition root closes it with the server. */
  signer: BatchSigner;
}

export async function registerRegistryTokenService(app: FastifyInstance, ctx: ServerContext, deps: RegistryTokenServiceDeps): Promise<void> {
  const { store } = ctx;
  await ensureSigningKey(ctx.dataDir); // first start: generate the key, certificate and bundle
  // Token requests read the directory through this cache: nothing in it outlives a change (store/readCache.ts).
  const cache = new DirectoryReadCache(store.db);
  const audit = new AuditBatcher<AuditEvent>((events) => store.transaction(() => events.forEach((e) => ctx.audit(e))));
  app.addHook('onClose', async () => audit.flush());

  /**
   * The refresh-token checks that depend on the clock, on every use (the cache holds only what the
   * database says): absolute lifetime, idle timeout, the PAT's expiry. A token that looks idle is
   * looked up afresh first, since a use recorded elsewhere (the agent's session check) does not
   * empty the cache.
   */
  const liveAt = (found: CachedRefreshToken, nowMs: number): boolean => {
    const limits = cache.read('refresh-limits', () => ctx.auth.refreshTokenLimits());
    const at = () => refreshTokenState({ ...found.times, lastUsedMs: found.lastUsedMs }, limits, nowMs);
    let state = at();
    if (!state.live && state.rule === 'refresh.idle') {
      const recorded = store.sessions.byId(found.owner.session.id)?.lastUsedAt;
      found.lastUsedMs = Math.max(found.lastUsedMs, recorded ? Date.parse(recorded) : 0);
      state = at();
    }
    if (!state.live) return false;
    // Last use is for the idle timeout and for people reading the session list: recorded at most once a minute.
    if (nowMs - found.lastUsedMs > lastUseRecordingIntervalMs(limits)) {
      store.sessions.markUsed(found.owner.session.id);
      found.lastUsedMs = nowMs;
    }
    return true;
  };

  await registerTokenRoutes<AccountSubject>(app, {
    startRequest: () => cache.checkForChanges(),
    async authenticateBasic(username, secret, ip) {
      const r = await ctx.auth.signIn(username, secret, ip, 'token-service');
      if (!r.ok)
        return {
          status: r.status,
          message: r.message,
          ...(r.retryAfterSec ? { retryAfterSec: r.retryAfterSec } : {}),
          ...(r.auditActor ? { auditActor: r.auditActor } : {}),
        };
      return accountSubject(r.user, r.credential, r.patId);
    },
    async authenticateRefreshToken(token) {
      // Through the read cache, keyed by the token's SHA-256 (never the secret itself; the store
      // keeps a keyed HMAC, dearer to compute). An unknown or revoked token is not cached, and any
      // change to the directory drops every entry.
      const found = cache.read(`refresh:${hash('sha256', token, 'base64url')}`, () =>
        store.transaction((): CachedRefreshToken | undefined => {
          const owner = ctx.auth.refreshTokenOwner(token);
          if (!owner) return undefined;
          const times = refreshTokenTimes(owner.session, owner.patExpiresAt);
          return { owner, times, lastUsedMs: times.lastUsedMs ?? 0 };
        }),
      );
      if (!found || !liveAt(found, Date.now())) return undefined;
      return accountSubject(found.owner.user, found.owner.credential, null);
    },
    async issueRefreshToken({ user, patId }, clientId) {
      // A token from a PAT sign-in keeps the PAT's scopes and dies with it (store/sessions.ts).
      const { session, refreshToken } = store.sessions.issueDockerLogin({ userId: user.id, clientId, patId: patId ?? null });
      ctx.audit({
        actor: user.name,
        action: 'registry.refresh-token.create',
        target: `refresh token ${session.id}`,
        detail: `offline access for client ${clientId || '(none)'}${session.patId !== null ? `, from personal access token ${session.patId}` : ''}`,
      });
      return refreshToken;
    },
    async accessFacts(subject, repositories) {
      const user = subject?.user;
      const credential: Credential = subject?.credential ?? { kind: 'none' };
      // One read transaction: the facts of every scope come from one snapshot, and SQLite takes its
      // WAL read lock once per request instead of once per query. Cached as a whole (one snapshot),
      // keyed by everything the facts depend on: the account, the credential and the repositories.
      const key = `facts:${user ? user.id : '-'}:${JSON.stringify(credential)}:${repositories.join(' ')}`;
      return cache.read(key, () =>
        store.transaction(() => new Map(repositories.map((r) => [r, ctx.facts(user ? { kind: 'user', user } : { kind: 'anonymous' }, credential, r)]))),
      );
    },
    async knownServices() {
      // A registry added or removed by `apply` counts on the next request.
      return cache.read('services', () => store.settings.registries().map((r) => r.service));
    },
    audit(r) {
      audit.add({
        actor: r.principal === 'anonymous' ? null : r.principal,
        ip: r.ip,
        action: TOKEN_AUDIT_ACTION,
        target: r.scope || null,
        outcome: r.rule.startsWith('auth.') ? 'failed' : r.granted.length > 0 || r.scope === '' ? 'ok' : 'denied',
        detail: auditDetail(r),
      });
    },
    signingKeys: new SigningKeySource(ctx.dataDir),
    signer: deps.signer,
  });

  // Token decisions, newest first: admins see everyone's, users their own.
  app.get('/api/v1/registry/decisions', async (request: FastifyRequest) => {
    const caller = await requireAccount(ctx, request);
    const q = request.query as { user?: string; limit?: string; before?: string };
    const admin = isGlobalAdmin(caller.user.role);
    if (q.user && !admin && q.user !== caller.user.name) throw new HttpError(403, "only Bosun administrators may read other users' decisions");
    const actor = admin ? q.user : caller.user.name;
    const limit = Math.min(Math.max(Number(q.limit ?? 100) || 100, 1), 1000);
    const before = Number(q.before);
    const records = store.audit.list({
      action: TOKEN_AUDIT_ACTION,
      limit,
      ...(actor ? { actor } : {}),
      ...(Number.isInteger(before) && before > 0 ? { beforeId: before } : {}),
    });
    return { decisions: records };
  });

  // Refresh tokens from `docker login`: the user's own (admins: anyone's with ?user=).
  app.get('/api/v1/registry/refresh-tokens', async (request: FastifyRequest) => {
    const caller = await requireAccount(ctx, request);
    const q = request.query as { user?: string };
    const target = q.user && isGlobalAdmin(caller.user.role) ? store.users.byName(q.user) : caller.user;
    if (!target) throw new HttpError(404, `no user ${q.user ?? ''}`);
    return {
      refresh_tokens: store.sessions
        .list({ userId: target.id, kind: 'docker-login' })
        .map((t) => ({ id: t.id, client_id: t.clientId ?? '', created_at: t.createdAt })),
    };
  });

  app.delete('/api/v1/registry/refresh-tokens/:id', async (request: FastifyRequest, reply) => {
    const caller = await requireAccount(ctx, request);
    const id = Number((request.params as { id: string }).id);
    const token = Number.isInteger(id) ? store.sessions.byId(id) : undefined;
    if (!token || token.kind !== 'docker-login' || (token.userId !== caller.user.id && !isGlobalAdmin(caller.user.role)))
      throw new HttpError(404, `no refresh token ${String(id)} of yours`);
    store.sessions.revoke(token.id);
    ctx.audit({ actor: caller.user.name, ip: request.ip, action: 'registry.refresh-token.revoke', target: `refresh token ${token.id}` });
    return reply.code(204).send();
  });
}
