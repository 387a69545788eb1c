// `POST /api/v1/apply`: the server side of `bosun server apply`. Server admins only.
import type { FastifyInstance } from 'fastify';
import { isGlobalAdmin } from '../../core/access/permissionLevels.js';
import { applyDirectory } from '../apply/applyDirectory.js';
import { DirectoryFileError } from '../apply/directoryFile.js';
import type { ServerContext } from '../context.js';
import { HttpError, describe, parseBody, requireAccount, requireWriteCredential } from './errors.js';

export function registerApplyRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/api/v1/apply', { bodyLimit: 16 * 1024 * 1024 }, async (request) => {
    const caller = await requireAccount(ctx, request);
    if (!isGlobalAdmin(caller.user.role))
      throw new HttpError(403, `${caller.user.name} is not a Bosun administrator; only administrators may apply a directory file`);
    requireWriteCredential(caller);
    // The envelope first; the file itself is checked by applyDirectory, which reports every problem.
    const body = parseBody<{ config: unknown; dryRun?: boolean; prune?: boolean }>('applyEnvelope', request.body);
    try {
      return await applyDirectory(ctx.store, body.config, { dryRun: body.dryRun ?? false, prune: body.prune ?? false, actor: caller.user, ip: request.ip });
    } catch (err) {
      if (err instanceof DirectoryFileError) throw new HttpError(400, `${err.message}: ${describe(err.issues)}`, { errors: err.issues });
      throw err;
    }
  });
}
