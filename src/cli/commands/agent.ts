// `bosun agent`: the agent, headless, in the foreground until SIGTERM or Ctrl-C.
import { AgentAlreadyRunningError } from '../../agent/socket/server.js';
import { logsDir } from '../../agent/paths.js';
import { statusLine, agentStatus } from '../../core/agent/agentStatus.js';
import { notInWorkstationInstall } from '../workstationInstall.js';

const HELP = `Usage: bosun agent

Runs the Bosun agent in the foreground (the tray app runs the same agent). It reads your
organization's policy, keeps your sign-in in the OS keychain, points Docker's credential helper for
your organization's registries at docker-credential-bosun, and answers it. Stop it with Ctrl-C.`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  if (argv.length) {
    console.error(`bosun agent: unexpected argument '${argv[0]}'.\n\n${HELP}`);
    return 2;
  }
  const absent = notInWorkstationInstall('agent');
  if (absent !== undefined) return absent;
  const { startAgent } = await import('../../agent/runtime.js');
  let runtime: Awaited<ReturnType<typeof startAgent>>;
  try {
    runtime = await startAgent({ console: false });
  } catch (err) {
    if (err instanceof AgentAlreadyRunningError) {
      console.error(`bosun agent: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const { core } = runtime;
  const say = () => console.log(`bosun agent: ${statusLine(agentStatus(core.state, core.managedRegistries()))}`);
  console.log(`bosun agent: running; socket ${runtime.socketPath}; logs in ${logsDir()}. Stop with Ctrl-C.`);
  say();
  core.bus.on('state', say);
  core.bus.on('notification', (n) => console.log(`bosun agent: ${n.message}`));
  runtime.dockerConfig.bus.on('repaired', (r) =>
    console.log(`bosun agent: Docker's config.json was changed; Bosun's entries were restored (${r.registries.join(', ')}).`),
  );
  runtime.dockerConfig.bus.on('static-credentials', (e) =>
    console.error(
      e.removed
        ? `bosun agent: removed static credentials for a Bosun registry from ${e.path} (auths: ${e.keys.join(', ')}); docker asks Bosun instead. The previous file is kept as ${e.path}.bosun-backup.`
        : `bosun agent: ${e.path} holds static credentials for a Bosun registry (auths: ${e.keys.join(', ')}) and ${e.why ?? 'is not Bosun’s to change'}; remove them, or docker sends them instead of asking Bosun.`,
    ),
  );
  runtime.dockerConfig.bus.on('malformed', (m) =>
    console.error(`bosun agent: ${m.path} is not valid JSON, so Bosun leaves it alone until it is fixed: ${m.message}`),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await runtime.close();
  console.log('bosun agent: stopped.');
  return 0;
}
