// A real Secret Service (gnome-keyring) on a private D-Bus session bus, for processes that keytar
// must reach: the agent under test and the demo's agent. Both daemons are ours, started with their
// own HOME/XDG dirs inside the sandbox, and stopped by pid.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stopChild } from './real/process.js';

export interface SecretService {
  /** Add these to a process's environment so keytar finds the keyring. */
  env: { DBUS_SESSION_BUS_ADDRESS: string };
  stop(): Promise<void>;
}

/** Why a real keyring cannot run here, or undefined when it can. */
export function secretServiceUnavailable(): string | undefined {
  for (const bin of ['dbus-daemon', 'gnome-keyring-daemon']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) return `${bin} is not installed (Debian: dbus, gnome-keyring)`;
  }
  return undefined;
}

export async function startSecretService(dir: string, env: NodeJS.ProcessEnv): Promise<SecretService> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configFile = join(dir, 'session.conf');
  const socket = join(dir, 'bus');
  // A minimal session bus config: our own socket, only this user, no service activation outside it.
  writeFileSync(
    configFile,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=${socket}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy></busconfig>`,
  );
  const bus = spawn('dbus-daemon', ['--config-file', configFile, '--nofork', '--print-address'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not start within 10 s')), 10_000);
    bus.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve(line.trim());
      }
    });
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
  const keyringEnv = { ...env, DBUS_SESSION_BUS_ADDRESS: address };
  // --unlock reads the login keyring's password on stdin and creates/unlocks it; --foreground keeps
  // the daemon our child so it is stopped by pid.
  const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { stdio: ['pipe', 'ignore', 'pipe'], env: keyringEnv });
  keyring.stdin.end('bosun-test-keyring');
  // The Secret Service name appears on the bus once the daemon is ready.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = spawnSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        'string:org.freedesktop.secrets',
      ],
      { env: keyringEnv, encoding: 'utf8' },
    );
    if (r.stdout?.includes('boolean true')) break;
    if (Date.now() > deadline || keyring.exitCode !== null) {
      await Promise.all([stopChild(keyring, 5000), stopChild(bus, 5000)]);
      throw new Error('gnome-keyring did not register org.freedesktop.secrets within 15 s');
    }
    await new Promise((r2) => setTimeout(r2, 100));
  }
  return {
    env: { DBUS_SESSION_BUS_ADDRESS: address },
    stop: async () => {
      await stopChild(keyring, 5000);
      await stopChild(bus, 5000);
    },
  };
}
