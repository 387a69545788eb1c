// `bosun server start`: runs the server in the foreground until SIGTERM/SIGINT.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../app.js';
import { createServerLogger } from '../logger.js';
import { hashPassword } from '../store/secrets.js';
import { firstLine, readSecretFile, readStdin } from './readSecret.js';
import type { Store } from '../store/store.js';

const DEFAULT_LISTEN = '127.0.0.1:8080';
/** Past this, shutdown stops waiting for open connections (the contract: exit within 5 s). */
const SHUTDOWN_GRACE_MS = 4000;

function parseListen(text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  const port = Number(m?.[2]);
  if (!m?.[1] || !Number.isInteger(port) || port > 65535) throw new Error(`--listen must be HOST:PORT (for example 127.0.0.1:8080), not '${text}'`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port };
}

async function initAdmin(store: Store, name: string, passwordFile: string | undefined): Promise<string> {
  const existing = store.users.byName(name);
  if (existing) return `administrator ${existing.name} already exists; --init-admin left it unchanged`;
  if (!passwordFile && process.stdin.isTTY) {
    // Typing it here would echo it on the terminal; a pipe or a file keeps it off the screen.
    throw new Error(`--init-admin ${name} needs the password on stdin (a pipe) or in --init-admin-password-file FILE`);
  }
  const password = passwordFile ? readSecretFile(passwordFile) : firstLine(await readStdin());
  if (password.length < 8) throw new Error('the initial administrator password must have at least 8 characters');
  const user = store.users.create({ name, passwordHash: await hashPassword(password), role: 'superuser' });
  store.audit.write({ actor: null, action: 'user.create', target: `user ${user.name}`, detail: 'initial superuser (--init-admin)' });
  return `created superuser ${user.name}`;
}

export async function runStart(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      listen: { type: 'string', default: DEFAULT_LISTEN },
      'public-url': { type: 'string' },
      'init-admin': { type: 'string' },
      'init-admin-password-file': { type: 'string' },
    },
    strict: true,
  });
  const { host, port } = parseListen(values.listen);
  const dataDir = resolve(values.data ?? join(homedir(), '.local', 'share', 'bosun', 'server'));
  if (values['init-admin-password-file'] && !values['init-admin']) throw new Error('--init-admin-password-file needs --init-admin NAME');
  const logger = createServerLogger();
  const server = await buildServer({ dataDir, logger, ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}) });
  const { store } = server.ctx;
  try {
    if (values['init-admin']) logger.info(await initAdmin(store, values['init-admin'].toLowerCase(), values['init-admin-password-file']));
  } catch (err) {
    await server.close();
    throw err;
  }

  const url = await server.listen(host, port);
  logger.info('listening', { url, dataDir });
  console.log(`bosun server listening on ${url} (data in ${dataDir})`);
  if (!store.users.hasSuperuser()) {
    console.log(
      'Next: no administrator exists yet. Stop the server and start it again with --init-admin NAME (password on stdin or --init-admin-password-file).',
    );
  } else {
    console.log(`Next: describe users, orgs and repositories in a file, then: bosun server apply -f org.yaml --url ${url} --username <admin> --password-stdin`);
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('shutting down', { signal });
      const timer = setTimeout(() => {
        logger.warn('shutdown grace period over; closing open connections');
        server.app.server.closeAllConnections();
      }, SHUTDOWN_GRACE_MS);
      timer.unref();
      server.close().then(resolve, (err: unknown) => {
        logger.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
