// Grants on one repository or a whole namespace, held by a team or directly by a user
// (collaborators). Additive: the highest level wins (src/core/access/permissionLevels.ts).
import type { AccessLevel } from '../../core/access/accessFacts.js';
import { highestAccessLevel } from '../../core/access/permissionLevels.js';
import type { Db } from './database.js';

export type GrantTarget = { kind: 'repository' | 'namespace'; name: string };
export type Grantee = { team: number } | { user: number };

export interface Grant {
  id: number;
  teamId: number | null;
  userId: number | null;
  target: GrantTarget;
  level: AccessLevel;
}

interface GrantRow {
  id: number;
  team_id: number | null;
  user_id: number | null;
  target_kind: 'repository' | 'namespace';
  target: string;
  level: AccessLevel;
}

const toGrant = (r: GrantRow): Grant => ({ id: r.id, teamId: r.team_id, userId: r.user_id, target: { kind: r.target_kind, name: r.target }, level: r.level });

export class GrantStore {
  constructor(private readonly db: Db) {}

  of(grantee: Grantee): Grant[] {
    const [col, id] = 'team' in grantee ? ['team_id', grantee.team] : ['user_id', grantee.user];
    return (this.db.prepare(`SELECT * FROM grants WHERE ${col} = ? ORDER BY target_kind, target`).all(id) as GrantRow[]).map(toGrant);
  }

  /** Sets a grant's level; returns whether anything changed. */
  set(grantee: Grantee, target: GrantTarget, level: AccessLevel): 'created' | 'updated' | 'unchanged' {
    const [col, id] = 'team' in grantee ? ['team_id', grantee.team] : ['user_id', grantee.user];
    const current = this.db.prepare(`SELECT level FROM grants WHERE ${col} = ? AND target_kind = ? AND target = ?`).get(id, target.kind, target.name) as
      { level: AccessLevel } | undefined;
    if (current?.level === level) return 'unchanged';
    if (current) {
      this.db.prepare(`UPDATE grants SET level = ? WHERE ${col} = ? AND target_kind = ? AND target = ?`).run(level, id, target.kind, target.name);
      return 'updated';
    }
    this.db.prepare(`INSERT INTO grants (${col}, target_kind, target, level) VALUES (?, ?, ?, ?)`).run(id, target.kind, target.name.toLowerCase(), level);
    return 'created';
  }

  remove(grantee: Grantee, target: GrantTarget): boolean {
    const [col, id] = 'team' in grantee ? ['team_id', grantee.team] : ['user_id', grantee.user];
    return this.db.prepare(`DELETE FROM grants WHERE ${col} = ? AND target_kind = ? AND target = ?`).run(id, target.kind, target.name).changes > 0;
  }

  /** How many grants name the namespace itself or a repository in it (any case; no LIKE, so `_` is literal). */
  countInNamespace(namespace: string): number {
    const row = this.db
      .prepare(
        `SELECT count(*) AS n FROM grants
         WHERE (target_kind = 'namespace' AND target = @ns)
            OR (target_kind = 'repository' AND lower(substr(target, 1, length(@ns) + 1)) = lower(@ns) || '/')`,
      )
      .get({ ns: namespace }) as { n: number };
    return row.n;
  }

  /** Every grant that reaches a repository (on it or its namespace), naming the user or "org/team" holding it. */
  reaching(repository: string, namespace: string): { user: string | null; team: string | null; target: GrantTarget; level: AccessLevel }[] {
    const rows = this.db
      .prepare(
        `SELECT g.target_kind AS kind, g.target AS target, g.level AS level, u.name AS user, o.name || '/' || t.name AS team
         FROM grants g LEFT JOIN users u ON u.id = g.user_id LEFT JOIN teams t ON t.id = g.team_id LEFT JOIN orgs o ON o.id = t.org_id
         WHERE (g.target_kind = 'repository' AND g.target = ?) OR (g.target_kind = 'namespace' AND g.target = ?) ORDER BY g.id`,
      )
      .all(repository, namespace) as { kind: GrantTarget['kind']; target: string; level: AccessLevel; user: string | null; team: string | null }[];
    return rows.map((r) => ({ user: r.user, team: r.team, target: { kind: r.kind, name: r.target }, level: r.level }));
  }

  /**
   * The highest level a user holds on a repository, through any team they are in or a direct
   * grant, on the repository itself or its whole namespace. One indexed query.
   */
  levelFor(userId: number, repository: string, namespace: string): AccessLevel {
    const rows = this.db
      .prepare(
        `SELECT g.level FROM grants g
         WHERE ((g.target_kind = 'repository' AND g.target = ?) OR (g.target_kind = 'namespace' AND g.target = ?))
           AND (g.user_id = ? OR g.team_id IN (SELECT team_id FROM team_members WHERE user_id = ?))`,
      )
      .all(repository, namespace, userId, userId) as { level: AccessLevel }[];
    return highestAccessLevel(...rows.map((r) => r.level));
  }
}
