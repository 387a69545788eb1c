// Where the agent keeps per-user state: the socket the credential helper talks to, and the logs.
// Only Node built-ins are imported here, because the credential helper bundles this file and must
// start fast. BOSUN_HOME is honored in every build: it only moves the user's own state, which the
// user can already change, so it cannot weaken enforcement.
import { createHash } from 'node:crypto';
import { homedir, userInfo } from 'node:os';
import { posix, win32 } from 'node:path';

export interface PathContext {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  /** The OS user name, for the Windows pipe name. */
  user: string;
}

export function currentPathContext(): PathContext {
  let user = process.env.USER ?? process.env.USERNAME ?? 'user';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment's name is good enough for a pipe name.
  }
  return { env: process.env, platform: process.platform, home: homedir(), user };
}

/** The per-user state directory: BOSUN_HOME, else the OS convention. */
export function bosunHome(ctx: PathContext = currentPathContext()): string {
  const fromEnv = ctx.env.BOSUN_HOME?.trim();
  if (fromEnv) return fromEnv;
  switch (ctx.platform) {
    case 'darwin':
      return posix.join(ctx.home, 'Library', 'Application Support', 'Bosun');
    case 'win32':
      return win32.join(ctx.env.LOCALAPPDATA?.trim() || win32.join(ctx.home, 'AppData', 'Local'), 'Bosun');
    default: {
      // XDG Base Directory spec: a relative XDG_STATE_HOME is invalid and must be ignored.
      const xdg = ctx.env.XDG_STATE_HOME?.trim();
      return posix.join(xdg && xdg.startsWith('/') ? xdg : posix.join(ctx.home, '.local', 'state'), 'bosun');
    }
  }
}

/** The directory holding the agent socket; created 0700 so only this OS user can reach the socket. */
export function socketDir(ctx: PathContext = currentPathContext()): string {
  return pathApi(ctx).join(bosunHome(ctx), 'run');
}

/**
 * The agent's endpoint: a unix socket (0600, inside the 0700 socketDir) or, on Windows, a named pipe
 * named after the user. A BOSUN_HOME other than the default gets its own pipe, so two test sandboxes
 * (or two agents under different homes) never meet.
 */
export function agentSocketPath(ctx: PathContext = currentPathContext()): string {
  if (ctx.platform === 'win32') {
    const safeUser = ctx.user.replace(/[^A-Za-z0-9._-]/g, '_');
    const custom = ctx.env.BOSUN_HOME?.trim();
    const suffix = custom ? '-' + createHash('sha256').update(custom).digest('hex').slice(0, 12) : '';
    return `\\\\.\\pipe\\bosun-agent-${safeUser}${suffix}`;
  }
  return posix.join(socketDir(ctx), 'agent.sock');
}

/**
 * The OS log directory for the agent: ~/Library/Logs/Bosun on macOS (where Console.app looks),
 * otherwise `logs` in the state directory (%LOCALAPPDATA%\Bosun\logs, $XDG_STATE_HOME/bosun/logs).
 * BOSUN_HOME keeps everything, logs included, under one directory.
 */
/**
 * The agent's key: a random secret the agent writes at start (0600, in the 0700 run directory; on
 * Windows the user's own %LOCALAPPDATA%), with which it proves to clients that it is this user's agent
 * before they send a password or a token (a Windows named pipe can be created first by another user).
 * Beside the socket for a unix socket path; in the run directory for a named pipe.
 */
export function agentKeyPathFor(socketPath: string, ctx: PathContext = currentPathContext()): string {
  if (socketPath.startsWith('\\\\.\\pipe\\')) return pathApi(ctx).join(socketDir(ctx), 'agent.key');
  return posix.join(posix.dirname(socketPath), 'agent.key');
}

export function logsDir(ctx: PathContext = currentPathContext()): string {
  if (ctx.platform === 'darwin' && !ctx.env.BOSUN_HOME?.trim()) return posix.join(ctx.home, 'Library', 'Logs', 'Bosun');
  return pathApi(ctx).join(bosunHome(ctx), 'logs');
}

/** What the agent tells the helper about itself (registries, orgs; never secrets), for when it is not running. */
export function helperHintsPath(ctx: PathContext = currentPathContext()): string {
  return pathApi(ctx).join(bosunHome(ctx), 'helper-hints.json');
}

function pathApi(ctx: PathContext): typeof posix {
  return ctx.platform === 'win32' ? win32 : posix;
}
