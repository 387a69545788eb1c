// Attack: with `anonymousPull: true` a developer whom their org's Image Access Management refuses
// an image simply signs out and pulls it anonymously. Replayed against the real server process,
// registry 2.8, dockerd and the docker CLI: by default anonymous pulls follow the strictest IAM of
// the directory; `anonymousPullImageAccess: ignore` relaxes that, and `bosun server apply` (also
// with --dry-run) warns about it; `bosun doctor`'s check reads it from the discovery document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertDenied, assertOk, dockerdUnavailable, startIamStack, type IamStack } from './iamStack.js';
import type { AdminSettingsReport } from '../../../src/platform/workstationPolicy/readAdminSettings.js';

const skip = dockerdUnavailable() ?? false;
if (skip) console.log(`# skipped: ${skip}`);
const PASSWORD = 'anonymous-iam-password-1';
const IAM_ON = { enabled: true, allowOfficial: true, allowVerifiedPublishers: false, allowlist: [] };
const IAM_OFF = { ...IAM_ON, enabled: false };
let stack: IamStack;
let host = '';

const seed = (over: { iam?: typeof IAM_ON; anonymousPullImageAccess?: 'strictest' | 'ignore' } = {}) => ({
  settings: {
    anonymousPull: true,
    ...(over.anonymousPullImageAccess ? { anonymousPullImageAccess: over.anonymousPullImageAccess } : {}),
    userNamespaces: false,
    verifiedPublishers: ['bitnami'],
  },
  registries: [{ host, service: 'registry.test' }],
  users: [{ name: 'carol', password: PASSWORD }],
  orgs: [{ name: 'mycompany', members: [{ user: 'carol', role: 'member' }], imageAccess: over.iam ?? IAM_ON }],
  repositories: ['community/tool', 'mycompany/public', 'library/alpine', 'bitnami/redis'].map((name) => ({ name, visibility: 'public' })),
});

const COMMUNITY_DENIAL =
  'denied: sign-in required: anonymous pulls on this server follow the Image Access Management of every organization, and community/tool is a Community image; ' +
  'Image Access Management in org mycompany allows only organization images and Docker Official Images. Ask an owner of mycompany to allow-list it. ' +
  "Or sign in with Bosun (or docker login) to pull under your own organization's rules.";
const WARNING =
  'warning: anonymousPullImageAccess is "ignore" while anonymousPull is on and Image Access Management is on in mycompany: members of mycompany can pull any public image their org refuses by signing out.';

async function apply(s: object, flags: string[] = []) {
  const r = await stack.apply(s, flags);
  assert.equal(r.code, 0, `apply failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

before(async () => {
  if (skip) return;
  // IAM starts off, so the first test sees a cached "allowed" before IAM is turned on.
  const firstSeed = (h: string) => {
    host = h;
    return seed({ iam: IAM_OFF });
  };
  stack = await startIamStack('anonymous-iam', firstSeed, ['community/tool', 'mycompany/public', 'library/alpine', 'bitnami/redis']);
});

after(async () => {
  await stack?.stop();
});

test('signing out does not escape IAM: anonymous pulls follow the strictest IAM of the directory, from the next request on', { skip }, async () => {
  stack.as(undefined);
  assertOk(await stack.pull('community/tool'), 'no org has IAM on yet');
  await apply(seed()); // mycompany turns IAM on; the token service's read cache must not answer from before
  stack.as('carol', PASSWORD);
  assertDenied(await stack.pull('community/tool'), 'denied: community/tool is a Community image; Image Access Management in org mycompany');
  stack.as(undefined);
  assertDenied(await stack.pull('community/tool'), COMMUNITY_DENIAL);
  assertDenied(
    await stack.pull('bitnami/redis'),
    /denied: sign-in required: .*bitnami\/redis is a Verified Publisher image; Image Access Management in org mycompany/,
  );
  assertOk(await stack.pull('library/alpine'), 'mycompany allows Docker Official Images');
  assertOk(await stack.pull('mycompany/public'), "an org's own public image");
});

test('anonymousPullImageAccess: ignore relaxes it; apply warns (with --dry-run too); discovery and doctor say so', { skip }, async () => {
  const relaxed = seed({ anonymousPullImageAccess: 'ignore' });
  const dry = await apply(relaxed, ['--dry-run']);
  assert.ok(dry.stderr.includes(WARNING), `dry run warns:\n${dry.stderr}`);
  assert.match(dry.stdout, /~ setting anonymousPullImageAccess: "strictest" → "ignore"/);
  stack.as(undefined);
  assertDenied(await stack.pull('community/tool'), COMMUNITY_DENIAL); // the dry run changed nothing

  const applied = await apply(relaxed);
  assert.ok(applied.stderr.includes(WARNING), `apply warns:\n${applied.stderr}`);
  assert.ok(applied.stderr.includes('Set anonymousPullImageAccess: strictest (the default), or anonymousPull: false.'), applied.stderr);
  assertOk(await stack.pull('community/tool'), 'anonymous pulls ignore IAM now');

  const discovery = (await (await fetch(`${stack.server.url}/.well-known/bosun`)).json()) as Record<string, unknown>;
  assert.equal(discovery.anonymous_pull, true);
  assert.equal(discovery.anonymous_pull_image_access, 'ignore');
  // Loaded here so the first test also runs against a tree without the doctor check.
  const { anonymousPullCheck } = await import('../../../src/agent/doctor/serverSettingsCheck.js');
  const report = { settings: { server: stack.server.url, hubMode: false, offlineGraceMinutes: 60, recheckMinutes: 15 } } as AdminSettingsReport;
  const doctor = await anonymousPullCheck(report);
  assert.equal(doctor?.status, 'warn');
  assert.match(doctor?.fix ?? '', /anonymousPullImageAccess: strictest/);

  // Back to the default: no warning, and doctor is content.
  const strict = await apply(seed({ anonymousPullImageAccess: 'strictest' }));
  assert.ok(!strict.stderr.includes('warning:'), strict.stderr);
  assertDenied(await stack.pull('community/tool'), COMMUNITY_DENIAL);
  assert.equal((await anonymousPullCheck(report))?.status, 'ok');
});
