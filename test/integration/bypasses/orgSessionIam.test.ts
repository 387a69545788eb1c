// Attack: a member of two orgs escapes one org's Image Access Management by having the agent sign
// in for the other org. carol is a member of strictco (IAM on, Community images disabled) and of
// looseco (IAM off); with an agent session for looseco she pulls community/tool. Replayed with the
// real server, registry 2.8, dockerd and the docker CLI: the pull must be denied with strictco's
// reason, while an owner of strictco keeps the bypass of strictco's IAM in any session. The same
// attack through an image: carol, an editor of looseco, copies a Community image into looseco and
// pulls it from there; to strictco an image of another org is a Community image, so it is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../../src/server/store/store.js';
import { assertDenied, assertOk, dockerdUnavailable, startIamStack, type IamStack } from './iamStack.js';

const skip = dockerdUnavailable() ?? false;
if (skip) console.log(`# skipped: ${skip}`);
const PASSWORD = 'org-session-password-1';
let stack: IamStack;

const seed = (host: string) => ({
  settings: { anonymousPull: false, userNamespaces: false, verifiedPublishers: [] },
  registries: [{ host, service: 'registry.test' }],
  users: ['carol', 'olivia', 'lou'].map((name) => ({ name, password: PASSWORD })),
  orgs: [
    {
      name: 'strictco',
      members: [
        { user: 'olivia', role: 'owner' },
        { user: 'carol', role: 'member' },
      ],
      imageAccess: { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] },
    },
    {
      name: 'looseco',
      members: [
        { user: 'lou', role: 'owner' },
        { user: 'carol', role: 'editor' },
        { user: 'olivia', role: 'member' },
      ],
    },
  ],
  repositories: [
    { name: 'community/tool', visibility: 'public' },
    { name: 'looseco/app', visibility: 'public' },
    { name: 'strictco/app', visibility: 'public' },
  ],
});

before(async () => {
  if (skip) return;
  stack = await startIamStack('org-session-iam', seed, ['community/tool', 'looseco/app', 'strictco/app']);
});

after(async () => {
  await stack?.stop();
});

test("an agent session for an org without IAM does not lift the other org's IAM", { skip }, async () => {
  stack.as('<token>', await stack.agentSession('carol', PASSWORD, 'looseco'));
  assertDenied(
    await stack.pull('community/tool'),
    'denied: community/tool is a Community image; Image Access Management in org strictco allows only organization images and Docker Official Images. Ask an owner of strictco to allow-list it.',
  );
  // The session still works for what every org of carol allows: strictco's own images. looseco's are
  // Community images to strictco.
  assertOk(await stack.pull('strictco/app'), "carol pulls strictco's image in a looseco session");
  assertDenied(
    await stack.pull('looseco/app'),
    /looseco\/app is a Community image; Image Access Management in org strictco .*looseco included, are Community images/,
  );
  // And a password or the strictco session say the same.
  stack.as('carol', PASSWORD);
  assertDenied(await stack.pull('community/tool'), 'Image Access Management in org strictco');
  stack.as('<token>', await stack.agentSession('carol', PASSWORD, 'strictco'));
  assertDenied(await stack.pull('community/tool'), 'Image Access Management in org strictco');
});

test("an owner of the IAM org keeps the bypass of that org's IAM, in a session for the other org too", { skip }, async () => {
  stack.as('<token>', await stack.agentSession('olivia', PASSWORD, 'looseco'));
  assertOk(await stack.pull('community/tool'), 'olivia owns strictco');
});

test("a personal access token or docker login's refresh token does not lift it either", { skip }, async () => {
  const store = Store.open(stack.server.dataDir);
  let pat: string;
  try {
    const carol = store.users.byName('carol');
    assert.ok(carol);
    pat = store.pats.create(carol.id, 'bypass test', ['read']).secret;
  } finally {
    store.close();
  }
  stack.as('carol', pat);
  assertDenied(await stack.pull('community/tool'), 'Image Access Management in org strictco');
  stack.as(undefined);
  assertOk(await stack.docker.run(['login', stack.host, '-u', 'carol', '--password-stdin'], `${PASSWORD}\n`), 'docker login');
  assertDenied(await stack.pull('community/tool'), 'Image Access Management in org strictco');
  assertOk(await stack.pull('strictco/app'), 'the docker login token works for what every org allows');
});

test('an image laundered through another org of the member is still refused by the IAM org', { skip }, async () => {
  // lou (looseco's owner, not in strictco) copies community/tool into looseco; carol, a looseco
  // editor in a looseco session, may not push or pull it: to strictco it is a Community image.
  stack.as('lou', PASSWORD);
  assertOk(await stack.pull('community/tool'), 'lou is in no org with IAM on');
  assertOk(await stack.docker.run(['tag', stack.ref('community/tool'), stack.ref('looseco/copied')]), 'tag');
  assertOk(await stack.docker.run(['push', stack.ref('looseco/copied')]), 'lou pushes the copy into looseco');
  assertOk(await stack.docker.run(['rmi', stack.ref('looseco/copied')]), 'forget the local copy');
  stack.as('<token>', await stack.agentSession('carol', PASSWORD, 'looseco'));
  assertDenied(await stack.pull('looseco/copied'), 'Image Access Management in org strictco');
  assertDenied(await stack.push('looseco/another', 'carol copies a community image'), 'Image Access Management in org strictco');
  // strictco's owners decide: an allow-listed copy is fine.
  const seeded = seed(stack.host) as { orgs: Array<{ imageAccess?: { allowlist: string[] } }> };
  seeded.orgs[0]!.imageAccess!.allowlist = ['looseco/copied'];
  const r = await stack.apply(seeded);
  assert.equal(r.code, 0, r.stderr);
  assertOk(await stack.pull('looseco/copied'), 'allow-listed by strictco');
});
