// Makes the directory match a file, in one transaction: creates and updates what the file lists,
// and with `prune` removes what it does not. Idempotent: a second run changes nothing. A dry run
// computes the same changes and rolls them back. Every change is audited.
import { describeRevoked, revokeUserTokens } from '../auth/revokeUserTokens.js';
import type { ImageAccessSettings } from '../../core/access/accessFacts.js';
import { anonymousPullBypassWarning } from '../../core/access/anonymousImageAccess.js';
import { decideOrgCreation } from '../../core/access/namespaceClaim.js';
import { isGlobalAdmin } from '../../core/access/permissionLevels.js';
import { namespaceOccupancy, ORG_CREATE_OVER_NAMESPACE } from '../namespaceOccupancy.js';
import { hashPassword, verifyPassword } from '../store/secrets.js';
import type { Store } from '../store/store.js';
import type { GrantTarget, Grantee } from '../store/grants.js';
import { OWNERS_TEAM, type Org } from '../store/orgs.js';
import type { User } from '../store/users.js';
import {
  DirectoryFileError,
  desiredRoles,
  grantLevel,
  grantTarget,
  schemaIssues,
  semanticIssues,
  type DirectoryFile,
  type GrantSpec,
  type OrgSpec,
} from './directoryFile.js';

export interface Change {
  op: '+' | '~' | '-';
  kind: 'setting' | 'registry' | 'user' | 'org' | 'member' | 'team' | 'team-member' | 'grant' | 'repository';
  name: string;
  detail?: string;
}

export interface ApplyOptions {
  dryRun?: boolean;
  prune?: boolean;
  actor: User;
  ip?: string;
}

class DryRunRollback extends Error {}

export const formatChange = (c: Change): string => `${c.op} ${c.kind} ${c.name}${c.detail ? `: ${c.detail}` : ''}`;

export interface ApplyResult {
  changes: Change[];
  applied: boolean;
  /** Settings that weaken enforcement, as the directory is (or, in a dry run, would be) after the file. */
  warnings: string[];
}

export async function applyDirectory(store: Store, file: unknown, opts: ApplyOptions): Promise<ApplyResult> {
  const schema = schemaIssues(file);
  if (schema.length) throw new DirectoryFileError(schema);
  const dir = file as DirectoryFile;
  const semantic = semanticIssues(store, dir, opts.actor.name);
  if (semantic.length) throw new DirectoryFileError(semantic);

  // Password hashing is slow and async; do it before the (synchronous) transaction.
  const newHashes = new Map<string, string>();
  for (const u of dir.users ?? []) {
    if (u.password === undefined) continue;
    const existing = store.users.withPasswordHash(u.name);
    if (existing?.passwordHash && (await verifyPassword(u.password, existing.passwordHash))) continue;
    newHashes.set(u.name, await hashPassword(u.password));
  }

  const changes: Change[] = [];
  const warnings: string[] = [];
  try {
    store.transaction(() => {
      new Applier(store, dir, opts, newHashes, changes).run();
      // Computed on the result, before a dry run rolls it back, so --dry-run warns too.
      warnings.push(...enforcementWarnings(store));
      for (const c of changes) {
        store.audit.write({
          actor: opts.actor.name,
          ip: opts.ip ?? null,
          action: `apply.${c.kind}`,
          target: c.name,
          detail: `${c.op}${c.detail ? ' ' + c.detail : ''}`,
        });
      }
      if (opts.dryRun) throw new DryRunRollback();
    });
  } catch (err) {
    if (!(err instanceof DryRunRollback)) throw err;
    store.audit.write({ actor: opts.actor.name, ip: opts.ip ?? null, action: 'apply.dry-run', detail: `${changes.length} change(s) planned` });
  }
  return { changes, applied: !opts.dryRun, warnings };
}

function enforcementWarnings(store: Store): string[] {
  const warning = anonymousPullBypassWarning(
    store.settings.get(),
    store.orgs.withImageAccessOn().map((o) => o.org),
  );
  return warning ? [warning] : [];
}

class Applier {
  constructor(
    private readonly store: Store,
    private readonly file: DirectoryFile,
    private readonly opts: ApplyOptions,
    private readonly newHashes: Map<string, string>,
    private readonly changes: Change[],
  ) {}

  private note(op: Change['op'], kind: Change['kind'], name: string, detail?: string): void {
    this.changes.push({ op, kind, name, ...(detail ? { detail } : {}) });
  }

  run(): void {
    this.settings();
    this.registries();
    this.users();
    for (const o of this.file.orgs ?? []) this.org(o);
    if (this.opts.prune && this.file.orgs) {
      const listed = new Set(this.file.orgs.map((o) => o.name));
      for (const org of this.store.orgs.list()) {
        if (!listed.has(org.name) && this.store.orgs.delete(org.id)) this.note('-', 'org', org.name);
      }
    }
    this.repositories();
    for (const u of this.file.users ?? []) {
      const user = this.store.users.byName(u.name) as User;
      this.grants({ user: user.id }, u.grants, `user ${u.name}`);
    }
  }

  private settings(): void {
    if (!this.file.settings) return;
    const before = this.store.settings.get();
    const changed = this.store.settings.update(this.file.settings);
    const after = this.store.settings.get();
    for (const key of changed) this.note('~', 'setting', key, `${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
  }

  private registries(): void {
    if (!this.file.registries) return;
    const before = new Map(this.store.settings.registries().map((r) => [r.host, r.service]));
    for (const r of this.file.registries) {
      const result = this.store.settings.upsertRegistry(r);
      if (result === 'created') this.note('+', 'registry', r.host, `service ${r.service}`);
      if (result === 'updated') this.note('~', 'registry', r.host, `service ${before.get(r.host) ?? ''} → ${r.service}`);
    }
    if (!this.opts.prune) return;
    const listed = new Set(this.file.registries.map((r) => r.host.toLowerCase()));
    for (const host of before.keys()) {
      if (!listed.has(host.toLowerCase()) && this.store.settings.deleteRegistry(host)) this.note('-', 'registry', host);
    }
  }

  private users(): void {
    const { users } = this.store;
    for (const u of this.file.users ?? []) {
      const existing = users.byName(u.name);
      if (!existing) {
        users.create({ name: u.name, passwordHash: this.newHashes.get(u.name) ?? null, role: u.role ?? 'user', disabled: u.disabled ?? false });
        this.note('+', 'user', u.name, [u.role && u.role !== 'user' ? u.role : '', u.disabled ? 'disabled' : ''].filter(Boolean).join(', '));
        continue;
      }
      if (u.disabled !== undefined && u.disabled !== existing.disabled) {
        users.setDisabled(existing.id, u.disabled);
        // Disabling ends every token, so re-enabling later does not bring old ones back.
        this.note('~', 'user', u.name, u.disabled ? `disabled; ${describeRevoked(revokeUserTokens(this.store, existing.id, 'disabled'))}` : 'enabled');
      }
      if (u.role !== undefined && u.role !== existing.role) {
        users.setRole(existing.id, u.role);
        this.note('~', 'user', u.name, `role ${existing.role} → ${u.role}`);
      }
      const hash = this.newHashes.get(u.name);
      if (hash) {
        users.setPasswordHash(existing.id, hash);
        this.note('~', 'user', u.name, `password changed; ${describeRevoked(revokeUserTokens(this.store, existing.id, 'password-changed'))}`);
      }
    }
    if (!this.opts.prune || !this.file.users) return;
    const listed = new Set(this.file.users.map((u) => u.name));
    for (const user of users.list()) {
      // The account applying the file is never pruned: that would lock its admin out.
      if (!listed.has(user.name) && user.id !== this.opts.actor.id && users.delete(user.id)) this.note('-', 'user', user.name);
    }
  }

  private org(o: OrgSpec): void {
    const { orgs } = this.store;
    let org = orgs.byName(o.name);
    if (!org) {
      // Only administrators apply files (the route checks), and they may create an org over a
      // namespace that is not free (src/core/access/namespaceClaim.ts); that takeover gets its own
      // audit record. Checked here too so this function never lets anyone else do it.
      const claim = decideOrgCreation(namespaceOccupancy(this.store, o.name), isGlobalAdmin(this.opts.actor.role));
      if (!claim.allowed) throw new DirectoryFileError([{ path: `/orgs/${(this.file.orgs ?? []).indexOf(o)}/name`, message: claim.reason }]);
      const occupied = claim.occupied;
      org = orgs.create(o.name);
      this.note('+', 'org', o.name, occupied.length ? `over an existing namespace: ${occupied.join('; ')}` : undefined);
      if (occupied.length) {
        this.store.audit.write({
          actor: this.opts.actor.name,
          ip: this.opts.ip ?? null,
          action: ORG_CREATE_OVER_NAMESPACE,
          target: `org ${org.name}`,
          detail: occupied.join('; '),
        });
      }
    }
    if (o.imageAccess) this.imageAccess(org, { ...org.imageAccess, ...o.imageAccess });

    const { explicit, implied } = desiredRoles(o);
    for (const [name, role] of explicit) {
      const user = this.store.users.byName(name) as User;
      const current = orgs.roleOf(org.id, user.id);
      if (current === role) continue;
      orgs.setRole(org.id, user.id, role);
      this.note(current ? '~' : '+', 'member', `${o.name}/${name}`, current ? `${current} → ${role}` : role);
    }
    for (const name of implied) {
      const user = this.store.users.byName(name) as User;
      if (orgs.roleOf(org.id, user.id)) continue;
      orgs.setRole(org.id, user.id, 'member');
      this.note('+', 'member', `${o.name}/${name}`, 'member (through a team)');
    }

    for (const t of o.teams ?? []) {
      let team = orgs.team(org.id, t.name);
      if (!team) {
        team = orgs.createTeam(org.id, t.name, t.description ?? '');
        this.note('+', 'team', `${o.name}/${t.name}`);
      }
      if (t.name !== OWNERS_TEAM) {
        for (const m of t.members ?? []) {
          if (orgs.addTeamMember(team, (this.store.users.byName(m) as User).id)) this.note('+', 'team-member', `${o.name}/${t.name}/${m}`);
        }
        if (this.opts.prune && t.members) {
          for (const m of orgs.teamMembers(team.id)) {
            if (!t.members.includes(m.user) && orgs.removeTeamMember(team.id, m.userId)) this.note('-', 'team-member', `${o.name}/${t.name}/${m.user}`);
          }
        }
      }
      this.grants({ team: team.id }, t.grants, `team ${o.name}/${t.name}`);
    }

    if (!this.opts.prune) return;
    if (o.members || o.teams) {
      for (const m of orgs.members(org.id)) {
        if (!explicit.has(m.user) && !implied.has(m.user) && orgs.removeMember(org.id, m.userId)) this.note('-', 'member', `${o.name}/${m.user}`);
      }
    }
    if (o.teams) {
      const listed = new Set(o.teams.map((t) => t.name));
      for (const team of orgs.teams(org.id)) {
        if (team.name !== OWNERS_TEAM && !listed.has(team.name) && orgs.deleteTeam(team.id)) this.note('-', 'team', `${o.name}/${team.name}`);
      }
    }
  }

  private imageAccess(org: Org, next: ImageAccessSettings): void {
    const before = org.imageAccess;
    const diffs = (Object.keys(next) as (keyof ImageAccessSettings)[])
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(next[k]))
      .map((k) => `${k} ${JSON.stringify(before[k])} → ${JSON.stringify(next[k])}`);
    if (!diffs.length) return;
    this.store.orgs.setImageAccess(org.id, next);
    this.note('~', 'org', org.name, `imageAccess ${diffs.join(', ')}`);
  }

  private grants(grantee: Grantee, specs: GrantSpec[] | undefined, who: string): void {
    if (!specs) return;
    const describe = (t: GrantTarget) => `${who} on ${t.kind} ${t.name}`;
    for (const g of specs) {
      const target = grantTarget(g);
      const level = grantLevel(g);
      const result = this.store.grants.set(grantee, target, level);
      if (result !== 'unchanged') this.note(result === 'created' ? '+' : '~', 'grant', describe(target), level);
    }
    if (!this.opts.prune) return;
    const listed = new Set(specs.map((g) => `${grantTarget(g).kind}:${grantTarget(g).name}`));
    for (const existing of this.store.grants.of(grantee)) {
      if (!listed.has(`${existing.target.kind}:${existing.target.name}`) && this.store.grants.remove(grantee, existing.target)) {
        this.note('-', 'grant', describe(existing.target));
      }
    }
  }

  private repositories(): void {
    const { repositories } = this.store;
    if (!this.file.repositories) return;
    const defaultVisibility = this.store.settings.get().newRepositoryVisibility;
    for (const r of this.file.repositories) {
      const existing = repositories.byName(r.name);
      if (!existing) {
        const created = repositories.create(r.name, r.visibility ?? defaultVisibility);
        this.note('+', 'repository', r.name, created.visibility);
      } else if (r.visibility && r.visibility !== existing.visibility) {
        repositories.setVisibility(existing.id, r.visibility);
        this.note('~', 'repository', r.name, `${existing.visibility} → ${r.visibility}`);
      }
    }
    if (!this.opts.prune) return;
    const listed = new Set(this.file.repositories.map((r) => r.name));
    for (const repo of repositories.list()) {
      if (!listed.has(repo.name) && repositories.delete(repo.id)) this.note('-', 'repository', repo.name);
    }
  }
}
