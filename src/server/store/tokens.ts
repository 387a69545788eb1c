// Personal access tokens. The secret is shown once, at creation; the store keeps only its keyed
// HMAC (secrets.ts), so a sign-in with a PAT is one indexed lookup. Scopes (read, write, delete)
// cap what the user can do; tokens can expire and be revoked.
import type { PatScope } from '../../core/access/accessFacts.js';
import { BOSUN_PAT_PREFIX } from '../../common/tokenPrefixes.js';
import { nowIso, type Db } from './database.js';
import { newToken, tokenHash } from './secrets.js';

export interface PersonalAccessToken {
  id: number;
  userId: number;
  label: string;
  scopes: PatScope[];
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

interface PatRow {
  id: number;
  user_id: number;
  label: string;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const toPat = (r: PatRow): PersonalAccessToken => ({
  id: r.id,
  userId: r.user_id,
  label: r.label,
  scopes: JSON.parse(r.scopes) as PatScope[],
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
});

export { BOSUN_PAT_PREFIX as PAT_PREFIX } from '../../common/tokenPrefixes.js';

export class PatStore {
  constructor(
    private readonly db: Db,
    private readonly hmacKey: Buffer,
  ) {}

  /** Creates a token; `secret` is returned this once and never stored. */
  create(userId: number, label: string, scopes: PatScope[], expiresAt?: Date): { token: PersonalAccessToken; secret: string } {
    const secret = newToken(BOSUN_PAT_PREFIX);
    const info = this.db
      .prepare('INSERT INTO pats (user_id, label, token_hash, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(userId, label, tokenHash(this.hmacKey, secret), JSON.stringify(scopes), nowIso(), expiresAt?.toISOString() ?? null);
    return { token: this.byId(Number(info.lastInsertRowid)) as PersonalAccessToken, secret };
  }

  byId(id: number): PersonalAccessToken | undefined {
    const r = this.db.prepare('SELECT * FROM pats WHERE id = ?').get(id) as PatRow | undefined;
    return r && toPat(r);
  }

  /** The token whose secret this is, if it exists, whatever its state (callers check `usable`). */
  bySecret(secret: string): PersonalAccessToken | undefined {
    const r = this.db.prepare('SELECT * FROM pats WHERE token_hash = ?').get(tokenHash(this.hmacKey, secret)) as PatRow | undefined;
    return r && toPat(r);
  }

  of(userId: number): PersonalAccessToken[] {
    return (this.db.prepare('SELECT * FROM pats WHERE user_id = ? ORDER BY id').all(userId) as PatRow[]).map(toPat);
  }

  markUsed(id: number): void {
    this.db.prepare('UPDATE pats SET last_used_at = ? WHERE id = ?').run(nowIso(), id);
  }

  revoke(id: number): boolean {
    return this.db.prepare('UPDATE pats SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(nowIso(), id).changes > 0;
  }

  /** Revokes every live token of the user; returns how many. */
  revokeAllOf(userId: number): number {
    return this.db.prepare('UPDATE pats SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(nowIso(), userId).changes;
  }
}

/** Not revoked and not expired at `now`. */
export function patUsable(t: PersonalAccessToken, now = Date.now()): boolean {
  return t.revokedAt === null && (t.expiresAt === null || Date.parse(t.expiresAt) > now);
}
