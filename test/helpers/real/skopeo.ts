// skopeo (containers/image) as a second client family. It reads `credHelpers` from the auth file,
// not `credsStore`, so it shares the docker client's config.json.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type CommandResult, type DockerClient } from './dockerCli.js';

export const SKOPEO = '/usr/bin/skopeo';

export interface Skopeo {
  inspect(ref: string): Promise<CommandResult>;
  copy(from: string, to: string): Promise<CommandResult>;
}

export function skopeoClient(dir: string, docker: DockerClient): Skopeo {
  const policy = join(dir, 'skopeo-policy.json');
  writeFileSync(policy, JSON.stringify({ default: [{ type: 'insecureAcceptAnything' }] }));
  const authfile = join(docker.configDir, 'config.json');
  const env = { ...docker.env, REGISTRY_AUTH_FILE: authfile };
  return {
    inspect: (ref) => run(SKOPEO, ['inspect', '--tls-verify=false', '--authfile', authfile, `docker://${ref}`], env),
    copy: (from, to) =>
      run(
        SKOPEO,
        ['--policy', policy, 'copy', '--src-tls-verify=false', '--dest-tls-verify=false', '--src-authfile', authfile, '--dest-authfile', authfile, from, to],
        env,
      ),
  };
}
