// Organizations, their members (member < editor < owner), teams and Image Access Management.
// The owner role IS membership of the org's `owners` team: setting one sets the other, so there is
// one source of truth (docs/permission-model.md, "The lattices": an owner is the `owners` team).
// org_members.role holds member or editor; owner is derived.
import type { ImageAccessSettings, OrgRole } from '../../core/access/accessFacts.js';
import { nowIso, type Db } from './database.js';

export const OWNERS_TEAM = 'owners';

export interface Org {
  id: number;
  name: string;
  imageAccess: ImageAccessSettings;
  createdAt: string;
}

export interface OrgMember {
  userId: number;
  user: string;
  role: OrgRole;
  disabled: boolean;
}

export interface Team {
  id: number;
  orgId: number;
  name: string;
  description: string;
}

interface OrgRow {
  id: number;
  name: string;
  iam_enabled: number;
  iam_allow_official: number;
  iam_allow_verified: number;
  iam_allowlist: string;
  created_at: string;
}

type ImageAccessRow = Pick<OrgRow, 'iam_enabled' | 'iam_allow_official' | 'iam_allow_verified' | 'iam_allowlist'>;

const toImageAccess = (r: ImageAccessRow): ImageAccessSettings => ({
  enabled: r.iam_enabled !== 0,
  allowOfficial: r.iam_allow_official !== 0,
  allowVerifiedPublishers: r.iam_allow_verified !== 0,
  allowlist: JSON.parse(r.iam_allowlist) as string[],
});

export const toOrg = (r: OrgRow): Org => ({ id: r.id, name: r.name, imageAccess: toImageAccess(r), createdAt: r.created_at });

// The role of a member: owner when in the owners team, else the stored member/editor role.
const ROLE_SQL = `CASE WHEN EXISTS (
    SELECT 1 FROM team_members tm JOIN teams t ON t.id = tm.team_id
    WHERE t.org_id = m.org_id AND t.name = '${OWNERS_TEAM}' AND tm.user_id = m.user_id
  ) THEN 'owner' ELSE m.role END`;

export class OrgStore {
  constructor(private readonly db: Db) {}

  byName(name: string): Org | undefined {
    const r = this.db.prepare('SELECT * FROM orgs WHERE name = ?').get(name) as OrgRow | undefined;
    return r && toOrg(r);
  }

  byId(id: number): Org | undefined {
    const r = this.db.prepare('SELECT * FROM orgs WHERE id = ?').get(id) as OrgRow | undefined;
    return r && toOrg(r);
  }

  list(): Org[] {
    return (this.db.prepare('SELECT * FROM orgs ORDER BY name').all() as OrgRow[]).map(toOrg);
  }

  /** Creates the org and its `owners` team. */
  create(name: string): Org {
    const info = this.db.prepare('INSERT INTO orgs (name, created_at) VALUES (?, ?)').run(name.toLowerCase(), nowIso());
    const id = Number(info.lastInsertRowid);
    this.db.prepare("INSERT INTO teams (org_id, name, description) VALUES (?, ?, 'Owners of the organization')").run(id, OWNERS_TEAM);
    return this.byId(id) as Org;
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM orgs WHERE id = ?').run(id).changes > 0;
  }

  /** Every org whose Image Access Management is on, by name: what anonymous pulls follow. */
  withImageAccessOn(): { org: string; imageAccess: ImageAccessSettings }[] {
    const rows = this.db
      .prepare('SELECT name, iam_enabled, iam_allow_official, iam_allow_verified, iam_allowlist FROM orgs WHERE iam_enabled <> 0 ORDER BY name')
      .all() as (ImageAccessRow & { name: string })[];
    return rows.map((r) => ({ org: r.name, imageAccess: toImageAccess(r) }));
  }

  setImageAccess(id: number, s: ImageAccessSettings): void {
    this.db
      .prepare('UPDATE orgs SET iam_enabled = ?, iam_allow_official = ?, iam_allow_verified = ?, iam_allowlist = ? WHERE id = ?')
      .run(s.enabled ? 1 : 0, s.allowOfficial ? 1 : 0, s.allowVerifiedPublishers ? 1 : 0, JSON.stringify(s.allowlist), id);
  }

  // ---- members

  members(orgId: number, page: { limit?: number; offset?: number } = {}): OrgMember[] {
    const rows = this.db
      .prepare(
        `SELECT m.user_id AS userId, u.name AS user, ${ROLE_SQL} AS role, u.disabled AS disabled
         FROM org_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? ORDER BY u.name LIMIT ? OFFSET ?`,
      )
      .all(orgId, page.limit ?? -1, page.offset ?? 0) as (Omit<OrgMember, 'disabled'> & { disabled: number })[];
    return rows.map((r) => ({ ...r, disabled: r.disabled !== 0 }));
  }

  memberCount(orgId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM org_members WHERE org_id = ?').get(orgId) as { n: number }).n;
  }

  roleOf(orgId: number, userId: number): OrgRole | undefined {
    const r = this.db.prepare(`SELECT ${ROLE_SQL} AS role FROM org_members m WHERE m.org_id = ? AND m.user_id = ?`).get(orgId, userId) as
      { role: OrgRole } | undefined;
    return r?.role;
  }

  /** Every org the user belongs to, with the role and the org's IAM settings. */
  membershipsOf(userId: number, page: { limit?: number; offset?: number } = {}): { org: Org; role: OrgRole }[] {
    const rows = this.db
      .prepare(
        `SELECT o.*, ${ROLE_SQL} AS role FROM org_members m JOIN orgs o ON o.id = m.org_id
         WHERE m.user_id = ? ORDER BY o.name LIMIT ? OFFSET ?`,
      )
      .all(userId, page.limit ?? -1, page.offset ?? 0) as (OrgRow & { role: OrgRole })[];
    return rows.map((r) => ({ org: toOrg(r), role: r.role }));
  }

  /**
   * Every org the user belongs to, by name, with the role and IAM settings: what an access decision
   * needs, on every registry token request. Only those columns, the owner check as a join and the
   * ordering in JS: the general query above costs several times more (bench/token.bench.ts).
   */
  membershipFacts(userId: number): { org: string; role: OrgRole; imageAccess: ImageAccessSettings }[] {
    const rows = this.db
      .prepare(
        `SELECT o.name, o.iam_enabled, o.iam_allow_official, o.iam_allow_verified, o.iam_allowlist, m.role, tm.user_id AS owner
         FROM org_members m JOIN orgs o ON o.id = m.org_id
         LEFT JOIN teams t ON t.org_id = m.org_id AND t.name = '${OWNERS_TEAM}'
         LEFT JOIN team_members tm ON tm.team_id = t.id AND tm.user_id = m.user_id
         WHERE m.user_id = ?`,
      )
      .all(userId) as (ImageAccessRow & { name: string; role: 'member' | 'editor'; owner: number | null })[];
    return rows
      .map((r) => ({ org: r.name, role: r.owner !== null ? ('owner' as const) : r.role, imageAccess: toImageAccess(r) }))
      .sort((a, b) => (a.org < b.org ? -1 : a.org > b.org ? 1 : 0)); // names are stored lower-case
  }

  membershipCount(userId: number): number {
    return (this.db.prepare('SELECT count(*) AS n FROM org_members WHERE user_id = ?').get(userId) as { n: number }).n;
  }

  /** Sets a member's role (adding them if needed). Owner = in the owners team; member/editor = not. */
  setRole(orgId: number, userId: number, role: OrgRole): void {
    const stored = role === 'owner' ? (this.storedRole(orgId, userId) ?? 'member') : role;
    this.db
      .prepare('INSERT INTO org_members (org_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT(org_id, user_id) DO UPDATE SET role = excluded.role')
      .run(orgId, userId, stored);
    const owners = this.ownersTeam(orgId);
    if (role === 'owner') this.db.prepare('INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)').run(owners.id, userId);
    else this.db.prepare('DELETE FROM team_members WHERE team_id = ? AND user_id = ?').run(owners.id, userId);
  }

  /** Removes a member from the org and from every team of the org. */
  removeMember(orgId: number, userId: number): boolean {
    this.db.prepare('DELETE FROM team_members WHERE user_id = ? AND team_id IN (SELECT id FROM teams WHERE org_id = ?)').run(userId, orgId);
    return this.db.prepare('DELETE FROM org_members WHERE org_id = ? AND user_id = ?').run(orgId, userId).changes > 0;
  }

  ownerCount(orgId: number): number {
    return this.teamMembers(this.ownersTeam(orgId).id).length;
  }

  private storedRole(orgId: number, userId: number): 'member' | 'editor' | undefined {
    return (this.db.prepare('SELECT role FROM org_members WHERE org_id = ? AND user_id = ?').get(orgId, userId) as { role: 'member' | 'editor' } | undefined)
      ?.role;
  }

  // ---- teams

  teams(orgId: number): Team[] {
    return this.db.prepare('SELECT id, org_id AS orgId, name, description FROM teams WHERE org_id = ? ORDER BY name').all(orgId) as Team[];
  }

  team(orgId: number, name: string): Team | undefined {
    return this.db.prepare('SELECT id, org_id AS orgId, name, description FROM teams WHERE org_id = ? AND name = ?').get(orgId, name) as Team | undefined;
  }

  ownersTeam(orgId: number): Team {
    const t = this.team(orgId, OWNERS_TEAM);
    if (!t) throw new Error(`org ${orgId} has no owners team`);
    return t;
  }

  createTeam(orgId: number, name: string, description = ''): Team {
    const info = this.db.prepare('INSERT INTO teams (org_id, name, description) VALUES (?, ?, ?)').run(orgId, name.toLowerCase(), description);
    return this.db.prepare('SELECT id, org_id AS orgId, name, description FROM teams WHERE id = ?').get(Number(info.lastInsertRowid)) as Team;
  }

  deleteTeam(teamId: number): boolean {
    return this.db.prepare(`DELETE FROM teams WHERE id = ? AND name <> '${OWNERS_TEAM}'`).run(teamId).changes > 0;
  }

  teamMembers(teamId: number): { userId: number; user: string }[] {
    return this.db
      .prepare('SELECT u.id AS userId, u.name AS user FROM team_members tm JOIN users u ON u.id = tm.user_id WHERE tm.team_id = ? ORDER BY u.name')
      .all(teamId) as { userId: number; user: string }[];
  }

  /** Adds a user to a team; they become an org member (role member) if they were not. */
  addTeamMember(team: Team, userId: number): boolean {
    if (team.name === OWNERS_TEAM) {
      const had = this.roleOf(team.orgId, userId) === 'owner';
      this.setRole(team.orgId, userId, 'owner');
      return !had;
    }
    this.db.prepare("INSERT OR IGNORE INTO org_members (org_id, user_id, role) VALUES (?, ?, 'member')").run(team.orgId, userId);
    return this.db.prepare('INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)').run(team.id, userId).changes > 0;
  }

  removeTeamMember(teamId: number, userId: number): boolean {
    return this.db.prepare('DELETE FROM team_members WHERE team_id = ? AND user_id = ?').run(teamId, userId).changes > 0;
  }
}
