// Refresh tokens issued to a plain `docker login` (offline access on GET/POST /token). Unlike an
// agent session (store/sessions.ts: user + org session + device) they are bound to the user only,
// so the strictest combination of the IAM of every org the user belongs to applies to them.
// Stored like every Bosun token: a keyed HMAC of the secret (one indexed lookup, useless without
// the server key); never rotated; revoked by the user or an admin, effective on the next request.
import type { Database } from 'better-sqlite3';
import { newToken, tokenHash } from '../store/secrets.js';

export interface LoginRefreshToken {
  id: number;
  userId: number;
  clientId: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const SELECT = 'SELECT id, user_id AS userId, client_id AS clientId, created_at AS createdAt, last_used_at AS lastUsedAt, revoked_at AS revokedAt FROM registry_refresh_tokens';

export class LoginRefreshTokenStore {
  constructor(private readonly db: Database, private readonly hmacKey: Buffer) {
    // The token service's own table; created on first use, in the server's database.
    db.exec(`CREATE TABLE IF NOT EXISTS registry_refresh_tokens (
      id INTEGER PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      client_id TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      revoked_at TEXT
    );
    CREATE INDEX IF NOT EXISTS registry_refresh_tokens_by_user ON registry_refresh_tokens(user_id);`);
  }

  /** A new refresh token for the user; the secret is returned this once. */
  issue(userId: number, clientId: string): { token: LoginRefreshToken; secret: string } {
    const secret = newToken('bosun_rt_');
    const info = this.db
      .prepare('INSERT INTO registry_refresh_tokens (user_id, client_id, token_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(userId, clientId.slice(0, 100), tokenHash(this.hmacKey, secret), new Date().toISOString());
    return { token: this.byId(Number(info.lastInsertRowid)) as LoginRefreshToken, secret };
  }

  byId(id: number): LoginRefreshToken | undefined {
    return this.db.prepare(`${SELECT} WHERE id = ?`).get(id) as LoginRefreshToken | undefined;
  }

  /** The live token for a secret, or undefined (unknown or revoked). */
  verify(secret: string): LoginRefreshToken | undefined {
    const t = this.db.prepare(`${SELECT} WHERE token_hash = ?`).get(tokenHash(this.hmacKey, secret)) as LoginRefreshToken | undefined;
    return t && t.revokedAt === null ? t : undefined;
  }

  list(filter: { userId?: number; includeRevoked?: boolean } = {}): LoginRefreshToken[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.userId !== undefined) {
      where.push('user_id = ?');
      args.push(filter.userId);
    }
    if (!filter.includeRevoked) where.push('revoked_at IS NULL');
    return this.db.prepare(`${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id`).all(...args) as LoginRefreshToken[];
  }

  revoke(id: number): boolean {
    return this.db.prepare('UPDATE registry_refresh_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes > 0;
  }
}
