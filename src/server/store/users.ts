// Local accounts: name, scrypt password hash, global role, active or disabled.
import type { GlobalRole } from '../../core/access/accessFacts.js';
import { nowIso, type Db } from './database.js';

export interface User {
  id: number;
  name: string;
  role: GlobalRole;
  disabled: boolean;
  createdAt: string;
}

interface UserRow {
  id: number;
  name: string;
  role: GlobalRole;
  disabled: number;
  created_at: string;
  password_hash: string | null;
}

const toUser = (r: UserRow): User => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled !== 0, createdAt: r.created_at });

export class UserStore {
  constructor(private readonly db: Db) {}

  byName(name: string): User | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return r && toUser(r);
  }

  byId(id: number): User | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r && toUser(r);
  }

  /** The user and their stored password hash (null when the account has no password). */
  withPasswordHash(name: string): { user: User; passwordHash: string | null } | undefined {
    const r = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return r && { user: toUser(r), passwordHash: r.password_hash };
  }

  list(opts: { limit?: number; offset?: number } = {}): User[] {
    const rows = this.db.prepare('SELECT * FROM users ORDER BY name LIMIT ? OFFSET ?').all(opts.limit ?? -1, opts.offset ?? 0) as UserRow[];
    return rows.map(toUser);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  hasSuperuser(): boolean {
    return this.db.prepare("SELECT 1 FROM users WHERE role = 'superuser' AND disabled = 0 LIMIT 1").get() !== undefined;
  }

  /** Creates an account. `passwordHash` comes from `hashPassword` (the store never sees a password). */
  create(u: { name: string; passwordHash: string | null; role?: GlobalRole; disabled?: boolean }): User {
    const info = this.db
      .prepare('INSERT INTO users (name, password_hash, role, disabled, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(u.name.toLowerCase(), u.passwordHash, u.role ?? 'user', u.disabled ? 1 : 0, nowIso());
    return this.byId(Number(info.lastInsertRowid)) as User;
  }

  setPasswordHash(id: number, passwordHash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  setRole(id: number, role: GlobalRole): void {
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
  }

  /** The account's token epoch: account access tokens issued in an earlier epoch are refused. */
  tokenEpoch(id: number): number {
    return (this.db.prepare('SELECT token_epoch AS epoch FROM users WHERE id = ?').get(id) as { epoch: number } | undefined)?.epoch ?? 0;
  }

  /** Starts a new token epoch: every account access token issued before is refused from now on. */
  bumpTokenEpoch(id: number): void {
    this.db.prepare('UPDATE users SET token_epoch = token_epoch + 1 WHERE id = ?').run(id);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0;
  }
}
