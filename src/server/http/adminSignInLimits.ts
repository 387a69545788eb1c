// Admin API: clearing an account's failed sign-ins, for a user who was refused or slowed
// (docs/permission-model.md, "Sign-in limits"). Audited like every admin change.
import type { ServerContext } from '../context.js';
import { requireServerAdmin, userNamed } from './adminAuthz.js';
import { auditor, type ApiRoute } from './routeTable.js';

export function signInLimitRoutes(ctx: ServerContext): ApiRoute[] {
  const audit = auditor(ctx);
  return [
    {
      method: 'DELETE',
      path: '/api/v1/users/:user/sign-in-limits',
      response: 'signInLimitsCleared',
      tag: 'users',
      summary: "Clear an account's failed sign-ins, so it is no longer refused or slowed from any address",
      access: 'server admins',
      handler: (call) => {
        requireServerAdmin(call.caller);
        const user = userNamed(ctx, call.params.user as string);
        const cleared = ctx.auth.clearSignInLimits(user.name);
        audit(call, 'user.sign-in-limits.clear', `user ${user.name}`, cleared ? 'failed sign-ins forgotten' : 'there were no failed sign-ins');
        return { user: user.name, cleared };
      },
    },
  ];
}
