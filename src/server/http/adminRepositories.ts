// Admin API: repositories and their direct grants (collaborators and teams).
import type { Visibility } from '../../core/access/accessFacts.js';
import { repositoryNamespace } from '../../core/access/imageCategory.js';
import { parseAccessLevel } from '../../core/access/permissionLevels.js';
import { decideAccess } from '../../core/access/repositoryAccess.js';
import type { ServerContext } from '../context.js';
import type { Grantee } from '../store/grants.js';
import { levelOnRepository, orgNamed, repositoryNamed, requireRepositoryLevel, teamNamed, userNamed } from './adminAuthz.js';
import { HttpError } from './errors.js';
import { auditor, type ApiCall, type ApiRoute } from './routeTable.js';

export function repositoryRoutes(ctx: ServerContext): ApiRoute[] {
  const { store } = ctx;
  const audit = auditor(ctx);
  const repoOf = (call: ApiCall) => repositoryNamed(ctx, `${call.params.namespace}/${call.params.name}`);
  const grantee = (body: { user?: string; team?: string }): { who: Grantee; label: string } => {
    if (body.user) return { who: { user: userNamed(ctx, body.user).id }, label: `user ${body.user}` };
    const [orgName, teamName] = (body.team as string).split('/') as [string, string];
    return { who: { team: teamNamed(ctx, orgNamed(ctx, orgName), teamName).id }, label: `team ${body.team}` };
  };

  return [
    {
      method: 'GET',
      path: '/api/v1/repositories',
      response: 'repositoryList',
      tag: 'repositories',
      summary: 'List the repositories you can see (optionally ?namespace=)',
      access: 'signed-in users',
      handler: (call) => {
        const all = store.repositories.list(call.query.namespace ? { namespace: call.query.namespace } : {});
        const visible = all.map((r) => ({ r, level: levelOnRepository(ctx, call.caller.user, r) })).filter(({ level }) => level !== 'none');
        return { repositories: visible.map(({ r, level }) => ({ name: r.name, visibility: r.visibility, yourLevel: level, createdAt: r.createdAt })) };
      },
    },
    {
      method: 'POST',
      path: '/api/v1/repositories',
      response: 'repositoryView',
      tag: 'repositories',
      summary: 'Create a repository (who may: as for creating one by pushing)',
      access: 'server admins, org owners and editors, namespace write grants, users in their namespace when allowed',
      body: 'repositoryCreate',
      status: 201,
      handler: (call: ApiCall<{ name: string; visibility?: Visibility }>) => {
        if (store.repositories.byName(call.body.name)) throw new HttpError(409, `repository ${call.body.name} already exists`);
        // The same rule as creation by a first push, from the pure decision function.
        const facts = ctx.facts({ kind: 'user', user: call.caller.user }, call.caller.credential, call.body.name);
        const decision = decideAccess(facts, ['push']);
        if (!decision.granted.includes('push')) throw new HttpError(403, decision.reason, { rule: decision.rule });
        return store.transaction(() => {
          const r = store.repositories.create(call.body.name, call.body.visibility ?? store.settings.get().newRepositoryVisibility);
          audit(call, 'repository.create', `repository ${r.name}`, `${r.visibility} (${decision.rule})`);
          return { name: r.name, visibility: r.visibility, createdAt: r.createdAt };
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/repositories/:namespace/:name',
      response: 'repositoryView',
      tag: 'repositories',
      summary: 'Show a repository',
      access: 'anyone who can pull it',
      handler: (call) => {
        const r = repoOf(call);
        requireRepositoryLevel(ctx, call.caller, r, 'read', 'viewing');
        return {
          name: r.name,
          visibility: r.visibility,
          namespace: repositoryNamespace(r.name),
          yourLevel: levelOnRepository(ctx, call.caller.user, r),
          createdAt: r.createdAt,
        };
      },
    },
    {
      method: 'PATCH',
      path: '/api/v1/repositories/:namespace/:name',
      response: 'repositoryView',
      tag: 'repositories',
      summary: 'Change visibility',
      access: 'admin level on the repository',
      body: 'repositoryUpdate',
      handler: (call: ApiCall<{ visibility: Visibility }>) => {
        const r = repoOf(call);
        requireRepositoryLevel(ctx, call.caller, r, 'admin', 'changing the visibility of');
        store.transaction(() => {
          store.repositories.setVisibility(r.id, call.body.visibility);
          audit(call, 'repository.visibility', `repository ${r.name}`, `${r.visibility} → ${call.body.visibility}`);
        });
        return { name: r.name, visibility: call.body.visibility };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/repositories/:namespace/:name',
      tag: 'repositories',
      summary: 'Delete a repository from the directory',
      access: 'admin level on the repository',
      status: 204,
      handler: (call) => {
        const r = repoOf(call);
        requireRepositoryLevel(ctx, call.caller, r, 'admin', 'deleting');
        store.transaction(() => {
          store.repositories.delete(r.id);
          audit(call, 'repository.delete', `repository ${r.name}`);
        });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/repositories/:namespace/:name/grants',
      response: 'repositoryGrantList',
      tag: 'grants',
      summary: 'Who has access through grants on this repository or its namespace',
      access: 'admin level on the repository',
      handler: (call) => {
        const r = repoOf(call);
        requireRepositoryLevel(ctx, call.caller, r, 'admin', 'managing access to');
        const grants = store.grants.reaching(r.name, repositoryNamespace(r.name));
        return { grants: grants.map((g) => ({ ...(g.user ? { user: g.user } : { team: g.team }), on: `${g.target.kind} ${g.target.name}`, level: g.level })) };
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/repositories/:namespace/:name/grants',
      response: 'repositoryGrantView',
      tag: 'grants',
      summary: 'Give a user or team a level on this repository',
      access: 'admin level on the repository',
      body: 'repositoryGrant',
      handler: (call: ApiCall<{ user?: string; team?: string; level: string }>) => {
        const r = repoOf(call);
        requireRepositoryLevel(ctx, call.caller, r, 'admin', 'managing access to');
        const level = parseAccessLevel(call.body.level);
        if (!level)
          throw new HttpError(400, `/level: "${call.body.level}" is not an access level`, { errors: [{ path: '/level', message: 'is not an access level' }] });
        const { who, label } = grantee(call.body);
        store.transaction(() => {
          store.grants.set(who, { kind: 'repository', name: r.name }, level);
          audit(call, 'grant.set', `repository ${r.name}`, `${label}: ${level}`);
        });
        return { repository: r.name, level, ...(call.body.user ? { user: call.body.user } : { team: call.body.team }) };
      },
    },
    {
      method: 'DELETE',
      path: '/api/v1/repositories/:namespace/:name/grants',
      tag: 'grants',
      summary: "Remove a user's or team's grant on this repository",
      access: 'admin level on the repository',
      body: 'repositoryGrantRemove',
      status: 204,
      handler: (call: ApiCall<{ user?: string; team?: string }>) => {
        const r = repoOf(call);
        requireRepositoryLevel(ctx, call.caller, r, 'admin', 'managing access to');
        const { who, label } = grantee(call.body);
        store.transaction(() => {
          if (!store.grants.remove(who, { kind: 'repository', name: r.name })) throw new HttpError(404, `${label} has no grant on ${r.name}`);
          audit(call, 'grant.remove', `repository ${r.name}`, label);
        });
      },
    },
  ];
}
