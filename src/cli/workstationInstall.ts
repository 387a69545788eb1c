// The installed `bosun` (a single executable shipped with the tray app) is the workstation command:
// sign-in, status, doctor, logs, policy. `bosun agent` and `bosun server` need native modules
// (keytar, better-sqlite3) that a single executable cannot carry, and neither belongs on a
// workstation's PATH: the tray app runs the agent, and the server is installed on a server.
import { isPackagedBuild } from '../common/buildFlavor.js';

const WHY: Record<'agent' | 'server', string> = {
  agent: 'the Bosun app runs the agent on a workstation: open Bosun from your applications (it starts at login), then check it with `bosun status`.',
  server: 'install the server on a server from npm or from source (`npm ci && npm run build`, then `bosun server start`; see src/server/README.md).',
};

/** In the installed command: prints why `bosun <command>` is not there and returns exit code 1. Otherwise undefined. */
export function notInWorkstationInstall(command: 'agent' | 'server'): number | undefined {
  if (!isPackagedBuild) return undefined;
  console.error(`bosun ${command} is not part of the workstation install; ${WHY[command]}`);
  return 1;
}
