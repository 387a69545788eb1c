// Attack: with `userNamespaces: true` any user may create orgs. mallory creates an org named
// `library`, a Verified Publisher name, or a namespace that already holds repositories; as its
// owner she becomes admin of the repositories already there (Official images turn into her
// org's "Organization images") and a `docker push` overwrites library/alpine. Replayed against
// the real server process, registry 2.8, dockerd and the docker CLI: the plain user is refused
// with the reason and whom to ask, her push is denied, and an administrator may still create such
// an org, audited as its own action.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, assertDenied, assertOk, dockerdUnavailable, startIamStack, type IamStack } from './iamStack.js';
import { Store } from '../../../src/server/store/store.js';

const skip = dockerdUnavailable() ?? false;
if (skip) console.log(`# skipped: ${skip}`);
const PASSWORD = 'takeover-password-1';
let stack: IamStack;

const seed = (host: string) => ({
  settings: { anonymousPull: false, userNamespaces: true, verifiedPublishers: ['bitnami'] },
  registries: [{ host, service: 'registry.test' }],
  users: ['mallory', 'carol'].map((name) => ({ name, password: PASSWORD })),
  orgs: [
    {
      name: 'mycompany',
      members: [{ user: 'carol', role: 'member' }],
      imageAccess: { enabled: true, allowOfficial: false, allowVerifiedPublishers: false, allowlist: [] },
    },
  ],
  repositories: [
    { name: 'library/alpine', visibility: 'public' },
    { name: 'acme/app', visibility: 'private' },
  ],
});

async function createOrg(user: string, secret: string, name: string): Promise<{ status: number; body: { message?: string } }> {
  const res = await fetch(`${stack.server.url}/api/v1/orgs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(user, secret)}` },
    body: JSON.stringify({ name }),
  });
  return { status: res.status, body: (await res.json()) as { message?: string } };
}

function auditRecords(action: string): Array<{ actor: string | null; target: string | null; detail: string | null }> {
  const store = Store.open(stack.server.dataDir);
  try {
    return store.audit.list({ action, limit: 50 });
  } finally {
    store.close();
  }
}

before(async () => {
  if (skip) return;
  stack = await startIamStack('namespace-takeover', seed, ['library/alpine', 'acme/app']);
  // A team of mycompany holds a grant on the `shared` namespace, which has no repository yet.
  const r = await stack.apply({
    orgs: [{ name: 'mycompany', teams: [{ name: 'ops', members: ['carol'], grants: [{ namespace: 'shared', level: 'read' }] }] }],
  });
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await stack?.stop();
});

test('a plain user may not create an org over library, a Verified Publisher, or a namespace with repositories or grants', { skip }, async () => {
  const cases: Array<[string, string]> = [
    ['library', 'library is the namespace of Docker Official Images'],
    ['bitnami', 'bitnami is a Verified Publisher namespace'],
    ['acme', 'the acme namespace already holds 1 repository'],
    ['shared', '1 grant names the shared namespace or repositories in it'],
  ];
  for (const [name, why] of cases) {
    const r = await createOrg('mallory', PASSWORD, name);
    assert.equal(r.status, 403, `${name}: ${JSON.stringify(r.body)}`);
    const message = r.body.message ?? '';
    assert.ok(message.startsWith(`the org name ${name} is reserved: `) && message.includes(why), `${name}: ${message}`);
    assert.ok(
      message.endsWith(
        'Its owners would own what is already there, so only a Bosun administrator may create this org. Choose another name, or ask a Bosun administrator.',
      ),
      message,
    );
  }
  // A free name is still hers to take.
  assert.equal((await createOrg('mallory', PASSWORD, 'mallorys')).status, 201);
  assert.deepEqual(
    auditRecords('org.create').map((r) => r.target),
    ['org mallorys'],
  );
});

test("the attacker's docker push to library/alpine is denied, and the original stays", { skip }, async () => {
  const imageId = async () => {
    stack.as(ADMIN.name, ADMIN.password);
    assertOk(await stack.pull('library/alpine'), 'admin pull library/alpine');
    const r = await stack.docker.run(['image', 'inspect', '--format', '{{.Id}}', stack.ref('library/alpine')]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim();
  };
  const original = await imageId();
  await createOrg('mallory', PASSWORD, 'library'); // refused above; tried again as the attack's first step
  stack.as('mallory', PASSWORD);
  assertDenied(await stack.push('library/alpine', 'mallory was here'), /denied/);
  assert.equal(await imageId(), original, 'library/alpine on the registry is still the original');
});

test(
  'an administrator may create an org over an existing namespace; it is audited as org.create-over-namespace, and library/ stays Official',
  { skip },
  async () => {
    const r = await createOrg(ADMIN.name, ADMIN.password, 'library');
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const [record] = auditRecords('org.create-over-namespace');
    assert.equal(record?.actor, ADMIN.name);
    assert.equal(record?.target, 'org library');
    assert.match(record?.detail ?? '', /library is the namespace of Docker Official Images; the library namespace already holds 1 repository/);
    // Through apply too: the admin's file creates an org over acme, which holds acme/app.
    const applied = await stack.apply({ orgs: [{ name: 'acme', members: [{ user: 'carol', role: 'member' }] }] });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /\+ org acme: over an existing namespace: the acme namespace already holds 1 repository/);
    assert.ok(auditRecords('org.create-over-namespace').some((x) => x.target === 'org acme' && x.actor === ADMIN.name));
    // carol is now a member of the org `library` too, and mycompany restricts Official images:
    // library/alpine is still a Docker Official Image to IAM, not an Organization image.
    const add = await fetch(`${stack.server.url}/api/v1/orgs/library/members/carol`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.token(ADMIN.name, ADMIN.password)}` },
      body: JSON.stringify({ role: 'member' }),
    });
    assert.equal(add.status, 200, await add.clone().text());
    stack.as('carol', PASSWORD);
    assertDenied(await stack.pull('library/alpine'), 'denied: library/alpine is a Docker Official Image; Image Access Management in org mycompany');
  },
);
