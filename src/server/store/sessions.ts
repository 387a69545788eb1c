// Refresh tokens, all of them, one row each: an agent session is bound to (user, org session,
// device); a `docker login` token (kind 'docker-login', from the registry token service's offline
// access) to the user only, with the registry client's client_id. Either may come from a PAT
// sign-in: it then keeps the PAT's scopes and dies with the PAT. Stored as a keyed HMAC; never
// rotated (the docker daemon throws new refresh tokens away: docs/registry-token-service.md);
// revocable by the user, an owner of the org, or an admin. Their lifetime (absolute and idle) is
// checked on every use by the callers (src/core/authentication/refreshTokenLifetime.ts).
import { BOSUN_REFRESH_TOKEN_PREFIX } from '../../common/tokenPrefixes.js';
import { nowIso, type Db } from './database.js';
import { newToken, tokenHash } from './secrets.js';

export type SessionKind = 'agent' | 'docker-login';

export interface AgentSession {
  id: number;
  kind: SessionKind;
  userId: number;
  user: string;
  /** The org session; null for a session without one (a `docker login` token). */
  orgId: number | null;
  org: string | null;
  /** Empty for a `docker login` token. */
  deviceId: string;
  deviceName: string;
  /** The registry client's client_id, for a `docker login` token; null otherwise. */
  clientId: string | null;
  /** Set when the session came from a PAT sign-in. */
  patId: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SELECT = `SELECT s.id, s.kind, s.user_id AS userId, u.name AS user, s.org_id AS orgId, o.name AS org, s.device_id AS deviceId,
  s.device_name AS deviceName, s.client_id AS clientId, s.pat_id AS patId, s.created_at AS createdAt, s.last_used_at AS lastUsedAt, s.revoked_at AS revokedAt
  FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = s.org_id`;

export { BOSUN_REFRESH_TOKEN_PREFIX as REFRESH_TOKEN_PREFIX } from '../../common/tokenPrefixes.js';

export class SessionStore {
  constructor(
    private readonly db: Db,
    private readonly hmacKey: Buffer,
  ) {}

  /**
   * Issues an agent session's refresh token; the secret is returned this once. The user's earlier
   * live sessions on the same device are revoked: a device has one sign-in at a time, and a
   * replaced session's secret (still in an old keychain entry or a copy of it) must not outlive it.
   * `replaced` lists the ids revoked.
   */
  issue(s: { userId: number; orgId: number | null; deviceId: string; deviceName: string; patId?: number | null }): {
    session: AgentSession;
    refreshToken: string;
    replaced: number[];
  } {
    const now = nowIso();
    const replaced = (
      this.db
        .prepare("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND kind = 'agent' AND revoked_at IS NULL RETURNING id")
        .all(now, s.userId, s.deviceId) as { id: number }[]
    ).map((r) => r.id);
    const refreshToken = newToken(BOSUN_REFRESH_TOKEN_PREFIX);
    const info = this.db
      .prepare("INSERT INTO sessions (user_id, org_id, kind, device_id, device_name, token_hash, pat_id, created_at) VALUES (?, ?, 'agent', ?, ?, ?, ?, ?)")
      .run(s.userId, s.orgId, s.deviceId, s.deviceName, tokenHash(this.hmacKey, refreshToken), s.patId ?? null, now);
    return { session: this.byId(Number(info.lastInsertRowid)) as AgentSession, refreshToken, replaced };
  }

  /** A `docker login` refresh token (offline access at the registry token service); the secret is returned this once. */
  issueDockerLogin(s: { userId: number; clientId: string; patId: number | null }): { session: AgentSession; refreshToken: string } {
    const refreshToken = newToken(BOSUN_REFRESH_TOKEN_PREFIX);
    const info = this.db
      .prepare(
        "INSERT INTO sessions (user_id, org_id, kind, device_id, device_name, client_id, token_hash, pat_id, created_at) VALUES (?, NULL, 'docker-login', '', 'docker login', ?, ?, ?, ?)",
      )
      .run(s.userId, s.clientId.slice(0, 100), tokenHash(this.hmacKey, refreshToken), s.patId, nowIso());
    return { session: this.byId(Number(info.lastInsertRowid)) as AgentSession, refreshToken };
  }

  byId(id: number): AgentSession | undefined {
    return this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as AgentSession | undefined;
  }

  /**
   * The not-revoked session of a refresh token, or undefined. Lifetime, account and membership
   * checks are the caller's.
   */
  verify(refreshToken: string): AgentSession | undefined {
    const s = this.db.prepare(`${SELECT} WHERE s.token_hash = ?`).get(tokenHash(this.hmacKey, refreshToken)) as AgentSession | undefined;
    if (!s || s.revokedAt !== null) return undefined;
    return s;
  }

  markUsed(id: number): void {
    this.db.prepare('UPDATE sessions SET last_used_at = ? WHERE id = ?').run(nowIso(), id);
  }

  revoke(id: number): boolean {
    return this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(nowIso(), id).changes > 0;
  }

  /** Revokes every live session and `docker login` token of the user; returns how many. */
  revokeAllOf(userId: number): number {
    return this.db.prepare('UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(nowIso(), userId).changes;
  }

  list(filter: { userId?: number; orgId?: number; kind?: SessionKind; includeRevoked?: boolean } = {}): AgentSession[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.userId !== undefined) {
      where.push('s.user_id = ?');
      args.push(filter.userId);
    }
    if (filter.orgId !== undefined) {
      where.push('s.org_id = ?');
      args.push(filter.orgId);
    }
    if (filter.kind !== undefined) {
      where.push('s.kind = ?');
      args.push(filter.kind);
    }
    if (!filter.includeRevoked) where.push('s.revoked_at IS NULL');
    const sql = `${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY s.id`;
    return this.db.prepare(sql).all(...args) as AgentSession[];
  }
}
