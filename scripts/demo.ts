// `npm run demo`: Bosun's main job on this machine, for real. An embedded Bosun server (SQLite) with a
// demo org, docker-registry 2.8 trusting its token service, a private dockerd, a Secret Service, and
// the headless agent with docker-credential-bosun on PATH; a policy in a sandbox location (the
// BOSUN_POLICY_ROOT development seam, which a packaged build ignores). Then a developer's day: denied
// while signed out, sign in, an allowed pull, a pull Image Access Management denies with its reason,
// tampering repaired, the policy changed by IT, sign out. Everything is stopped and removed at the end.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { agentStackUnavailable, startAgentStack, type AgentStack } from '../test/helpers/agentStack.js';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (n: number, text: string) => console.log(`\n${bold(`── ${n}. ${text}`)}`);
const indent = (s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => `   │ ${l}`)
    .join('\n');

async function show(stack: AgentStack, label: string, run: () => Promise<{ code: number | null; stdout: string; stderr: string }>): Promise<number | null> {
  console.log(`   $ ${label}`);
  const r = await run();
  const out = [r.stdout, r.stderr].filter((s) => s.trim()).join('\n');
  if (out) console.log(indent(out));
  console.log(`   (exit ${r.code})`);
  void stack;
  return r.code;
}

async function main(): Promise<number> {
  const missing = agentStackUnavailable();
  if (missing) {
    console.error(`demo: cannot run here: ${missing}. Run \`bash scripts/setup.sh\` as root first (it installs dockerd, docker-registry, gnome-keyring).`);
    return 1;
  }
  console.log(bold('Bosun demo: only signed-in members of an allowed organization pull, and only images the organization allows.'));
  const stack = await startAgentStack({
    allowedOrgs: ['mycompany'],
    images: ['mycompany/api', 'library/alpine', 'community/tool'],
    seed: () => ({
      settings: { anonymousPull: false, userNamespaces: false, verifiedPublishers: [] },
      users: [
        { name: 'alice', password: 'alice-demo-password' },
        { name: 'mallory', password: 'mallory-demo-password' },
      ],
      orgs: [
        {
          name: 'mycompany',
          members: [{ user: 'alice', role: 'member' }],
          teams: [{ name: 'developers', members: ['alice'], grants: [{ namespace: 'mycompany', level: 'read' }] }],
          imageAccess: { enabled: true, allowOfficial: true, allowVerifiedPublishers: false },
        },
      ],
      repositories: [
        { name: 'mycompany/api', visibility: 'private' },
        { name: 'library/alpine', visibility: 'public' },
        { name: 'community/tool', visibility: 'public' },
      ],
    }),
    log: (line) => console.log(`   · ${line}`),
  });
  let failures = 0;
  const expect = (ok: boolean, what: string) => {
    if (!ok) {
      failures++;
      console.log(`   ✘ expected: ${what}`);
    }
  };
  try {
    const { registryHost } = stack;
    step(1, `IT's policy: ${stack.policyPath}`);
    console.log(indent(readFileSync(stack.policyPath, 'utf8')));
    await show(stack, 'bosun status', () => stack.bosun(['status']));

    step(2, 'Signed out: docker is pointed at Bosun, and the registry refuses with a reason');
    console.log(indent(readFileSync(join(stack.sandbox.dockerConfig, 'config.json'), 'utf8')));
    expect((await show(stack, `docker pull ${stack.ref('mycompany/api')}`, () => stack.pull('mycompany/api'))) !== 0, 'the pull is denied');

    step(3, 'Someone outside the organization cannot sign in');
    expect(
      (await show(stack, 'echo … | bosun login --username mallory --password-stdin', () =>
        stack.bosun(['login', '--username', 'mallory', '--password-stdin'], 'mallory-demo-password'),
      )) !== 0,
      'mallory is refused',
    );

    step(4, 'alice signs in (the refresh token goes to the OS keychain, nowhere else)');
    expect(
      (await show(stack, 'echo … | bosun login --username alice --password-stdin', () =>
        stack.bosun(['login', '--username', 'alice', '--password-stdin'], 'alice-demo-password'),
      )) === 0,
      'alice signs in',
    );

    step(5, 'Allowed pulls: an organization image and a Docker Official Image');
    expect((await show(stack, `docker pull ${stack.ref('mycompany/api')}`, () => stack.pull('mycompany/api'))) === 0, 'the org image pulls');
    expect((await show(stack, `docker pull ${stack.ref('library/alpine')}`, () => stack.pull('library/alpine'))) === 0, 'the official image pulls');

    step(6, 'Denied pull: Image Access Management blocks a Community image, and says why');
    expect((await show(stack, `docker pull ${stack.ref('community/tool')}`, () => stack.pull('community/tool'))) !== 0, 'the community image is denied');

    step(7, "Tampering: Docker's config.json is changed; the agent restores Bosun's entry");
    const configPath = join(stack.sandbox.dockerConfig, 'config.json');
    writeFileSync(configPath, JSON.stringify({ credHelpers: { [registryHost]: 'desktop' } }, null, 2));
    await new Promise((r) => setTimeout(r, 600));
    console.log(indent(readFileSync(configPath, 'utf8')));
    expect(
      (JSON.parse(readFileSync(configPath, 'utf8')) as { credHelpers: Record<string, string> }).credHelpers[registryHost] === 'bosun',
      'the entry is repaired',
    );

    step(8, 'IT changes the policy to another organization: alice is signed out at once');
    stack.writePolicy(['anotherorg']);
    await new Promise((r) => setTimeout(r, 700));
    await show(stack, 'bosun status', () => stack.bosun(['status']));
    expect(
      (await show(stack, `docker pull ${stack.ref('mycompany/api')}`, () => stack.pull('mycompany/api'))) !== 0,
      'the pull is denied after the policy change',
    );

    step(9, 'Diagnostics for IT');
    await show(stack, 'bosun doctor', () => stack.bosun(['doctor']));

    step(10, "The agent's log (audit lines: sign-in, policy change, sign-out, tampering)");
    await show(stack, 'bosun logs -n 12', () => stack.bosun(['logs', '-n', '12']));
  } finally {
    console.log('\n   · stopping the agent, dockerd, the registry, the server and the keyring; removing the sandbox');
    await stack.stop();
  }
  console.log(failures ? `\ndemo: ${failures} step(s) did not behave as expected.` : '\ndemo: every step behaved as expected.');
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
