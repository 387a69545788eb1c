// Doctor checks about the workstation's tools: is the helper on PATH, which Docker CLI is installed.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { dockerCliCheck, type DoctorCheck } from '../../core/doctor/doctorReport.js';

export function findOnPath(command: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of pathEnv.split(delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export function helperOnPathCheck(pathEnv?: string): DoctorCheck {
  const found = findOnPath('docker-credential-bosun', pathEnv);
  return found
    ? { id: 'helper-path', title: 'Credential helper', status: 'ok', detail: `docker-credential-bosun is on PATH at ${found}.` }
    : {
        id: 'helper-path',
        title: 'Credential helper',
        status: 'fail',
        detail: 'docker-credential-bosun is not on PATH, so docker cannot ask Bosun for credentials.',
        fix: 'Reinstall Bosun (the installer puts the helper on PATH), or ask IT.',
      };
}

export function dockerCliVersionCheck(timeoutMs = 5000): Promise<DoctorCheck> {
  return new Promise((resolve) => {
    if (!findOnPath('docker')) return resolve(dockerCliCheck(undefined));
    execFile('docker', ['version', '--format', '{{.Client.Version}}'], { timeout: timeoutMs }, (err, stdout) => {
      // `docker version` exits non-zero when the daemon is down but still prints the client version.
      const out = String(stdout).trim();
      resolve(out ? dockerCliCheck(out) : dockerCliCheck(err ? `unknown (${err.message.split('\n')[0]})` : ''));
    });
  });
}
