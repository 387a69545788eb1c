// `bosun uninstall-config`: takes Bosun's credHelpers entries out of Docker's config.json, leaves
// everything else as it is, and says what it did.
import { createConnection } from 'node:net';
import { agentSocketPath } from '../../agent/paths.js';
import { BACKUP_SUFFIX, dockerConfigPath, MalformedDockerConfigError, updateDockerConfig } from '../../agent/dockerConfig/configFile.js';
import { removeBosunEntries } from '../../core/dockerConfig/dockerConfigMerge.js';

const HELP = `Usage: bosun uninstall-config

Removes Bosun's entries (credHelpers pointing at "bosun") from Docker's config.json
($DOCKER_CONFIG/config.json, or ~/.docker/config.json). Every other setting stays as it is;
the previous file is kept as config.json${BACKUP_SUFFIX}.`;

function agentRunning(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection(agentSocketPath());
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  if (argv.length) {
    console.error(`bosun uninstall-config: unexpected argument '${argv[0]}'.\n\n${HELP}`);
    return 2;
  }
  const path = dockerConfigPath();
  let removed: string[] = [];
  try {
    const r = await updateDockerConfig(path, (config) => {
      const out = removeBosunEntries(config);
      removed = out.removed;
      return out.changed ? out.config : undefined;
    });
    if (!r.changed) {
      console.log(`Nothing to remove: ${path} has no Bosun entries. Nothing was changed.`);
      return 0;
    }
  } catch (err) {
    if (err instanceof MalformedDockerConfigError) {
      console.error(`bosun uninstall-config: ${err.message}`);
      return 1;
    }
    throw err;
  }
  console.log(`Removed Bosun's credential helper from ${path} for: ${removed.join(', ')}.`);
  console.log(`Everything else in the file is unchanged; the previous version is ${path}${BACKUP_SUFFIX}.`);
  if (await agentRunning()) {
    console.log(
      "Note: the Bosun agent is running and sets these entries again while your organization's policy applies. Quit Bosun first to keep them removed.",
    );
  }
  return 0;
}
