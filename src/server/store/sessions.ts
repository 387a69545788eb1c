// Refresh tokens, one per agent session: bound to (user, org session, device); the org may be
// absent for sessions the registry token service opens without one. Stored as a keyed
// HMAC; never rotated (the docker daemon throws new refresh tokens away, design.md "Responses");
// revocable by the user, an owner of the org, or an admin. A session made from a PAT sign-in dies
// with the PAT and keeps its scopes.
import { BOSUN_REFRESH_TOKEN_PREFIX } from '../../common/tokenPrefixes.js';
import { nowIso, type Db } from './database.js';
import { newToken, tokenHash } from './secrets.js';

export interface AgentSession {
  id: number;
  userId: number;
  user: string;
  /** The org session; null for a session without one (e.g. `docker login` with offline_token). */
  orgId: number | null;
  org: string | null;
  deviceId: string;
  deviceName: string;
  /** Set when the session came from a PAT sign-in. */
  patId: number | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SELECT = `SELECT s.id, s.user_id AS userId, u.name AS user, s.org_id AS orgId, o.name AS org, s.device_id AS deviceId,
  s.device_name AS deviceName, s.pat_id AS patId, s.created_at AS createdAt, s.last_used_at AS lastUsedAt, s.revoked_at AS revokedAt
  FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN orgs o ON o.id = s.org_id`;

export { BOSUN_REFRESH_TOKEN_PREFIX as REFRESH_TOKEN_PREFIX } from '../../common/tokenPrefixes.js';

export class SessionStore {
  constructor(private readonly db: Db, private readonly hmacKey: Buffer) {}

  /** Issues a refresh token; the secret is returned this once. */
  issue(s: { userId: number; orgId: number | null; deviceId: string; deviceName: string; patId?: number | null }): { session: AgentSession; refreshToken: string } {
    const refreshToken = newToken(BOSUN_REFRESH_TOKEN_PREFIX);
    const info = this.db
      .prepare('INSERT INTO sessions (user_id, org_id, device_id, device_name, token_hash, pat_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(s.userId, s.orgId, s.deviceId, s.deviceName, tokenHash(this.hmacKey, refreshToken), s.patId ?? null, nowIso());
    return { session: this.byId(Number(info.lastInsertRowid)) as AgentSession, refreshToken };
  }

  byId(id: number): AgentSession | undefined {
    return this.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as AgentSession | undefined;
  }

  /** The live (not revoked) session of a refresh token, or undefined. Account and membership checks are the caller's. */
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

  list(filter: { userId?: number; orgId?: number; includeRevoked?: boolean } = {}): AgentSession[] {
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
    if (!filter.includeRevoked) where.push('s.revoked_at IS NULL');
    const sql = `${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY s.id`;
    return this.db.prepare(sql).all(...args) as AgentSession[];
  }
}
