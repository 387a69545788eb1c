// The audit log: every change to the directory and every sign-in, and (from the token service)
// every registry decision: who, what, when, from where, with the outcome and the rule.
import { nowIso, type Db } from './database.js';

export interface AuditEvent {
  /** The acting user's name; absent for anonymous callers. */
  actor?: string | null;
  /** Client address. */
  ip?: string | null;
  /** What happened, dotted: "sign-in", "user.create", "org.member.role", "token.grant", … */
  action: string;
  /** What it happened to: "user alice", "repository mycompany/api", … */
  target?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  /** Free text: the rule that decided, what changed. Never a secret. */
  detail?: string | null;
}

export interface AuditRecord extends Required<Omit<AuditEvent, 'outcome'>> {
  id: number;
  at: string;
  outcome: 'ok' | 'denied' | 'failed';
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  write(e: AuditEvent): void {
    this.db
      .prepare('INSERT INTO audit (at, actor, ip, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(nowIso(), e.actor ?? null, e.ip ?? null, e.action, e.target ?? null, e.outcome ?? 'ok', e.detail ?? null);
  }

  /** Newest first. */
  list(filter: { actor?: string; action?: string; limit?: number; beforeId?: number } = {}): AuditRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.actor) {
      where.push('actor = ?');
      args.push(filter.actor);
    }
    if (filter.action) {
      where.push('action LIKE ?');
      args.push(filter.action.replace(/[%_]/g, '') + '%');
    }
    if (filter.beforeId) {
      where.push('id < ?');
      args.push(filter.beforeId);
    }
    const sql = `SELECT * FROM audit${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT ?`;
    return this.db.prepare(sql).all(...args, filter.limit ?? 100) as AuditRecord[];
  }
}
