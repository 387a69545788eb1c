// `bosun server registry-config` and `bosun server rotate-signing-key` (docs/registry-token-service.md,
// "Setting up a registry" and "Signing keys").
//   registry-config --data DIR --registry HOST:PORT --realm URL
//     prints the registry's YAML `auth:` block (token: realm, service, issuer, rootcertbundle);
//     writes the certificate bundle (absolute path in rootcertbundle); the service is the one the
//     applied file declares for HOST:PORT under `registries`.
//   rotate-signing-key --data DIR
//     makes a new signing key current; the bundle keeps the old certificate until its tokens expire.
import { parseArgs } from 'node:util';
import { registryAuthYaml, realmProblem, TOKEN_ISSUER } from './registryConfig.js';
import { rotateSigningKey, writeCertificateBundle } from './signingKeys.js';

/** Looks up the `service` the applied file declares for a registry host:port; undefined when none. */
export type RegistryServiceLookup = (dataDir: string, registry: string) => Promise<{ service?: string; known: string[]; noServerData?: boolean }>;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function parse(argv: string[], options: Record<string, { type: 'string' }>, usage: string, io: Io): Record<string, string | undefined> | undefined {
  try {
    const { values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true });
    return values as Record<string, string | undefined>;
  } catch (e) {
    io.err(`${(e as Error).message}\nusage: ${usage}\n`);
    return undefined;
  }
}

export async function registryConfigCommand(argv: string[], lookup: RegistryServiceLookup, io: Io = stdio): Promise<number> {
  const usage = 'bosun server registry-config --data DIR --registry HOST:PORT --realm URL [--bundle FILE]';
  const v = parse(argv, { data: { type: 'string' }, registry: { type: 'string' }, realm: { type: 'string' }, bundle: { type: 'string' } }, usage, io);
  if (!v) return 2;
  const missing = ['data', 'registry', 'realm'].filter((k) => !v[k]);
  if (missing.length > 0) {
    io.err(`missing ${missing.map((m) => `--${m}`).join(', ')}\nusage: ${usage}\n`);
    return 2;
  }
  const { data, registry, realm } = v as { data: string; registry: string; realm: string };
  const problem = realmProblem(realm);
  if (problem) {
    io.err(`${problem}\n`);
    return 2;
  }
  const { service, known, noServerData } = await lookup(data, registry);
  if (noServerData) {
    io.err(
      `${data} holds no Bosun server data: start the server there first (\`bosun server start --data ${data}\`), then \`bosun server apply\` a file that declares ${registry} under \`registries\`.\n`,
    );
    return 1;
  }
  if (!service) {
    io.err(
      `registry ${registry} is not declared under \`registries\` in the applied file of ${data}` +
        `${known.length ? ` (declared: ${known.join(', ')})` : ' (none declared)'}. ` +
        'Add it with its service name and run `bosun server apply` first.\n',
    );
    return 1;
  }
  // --bundle: a copy where the registry's own user can read it (Debian's registry runs as
  // docker-registry and cannot enter the server's private data directory). The bundle holds only
  // public certificates.
  const rootcertbundle = await writeCertificateBundle(data, new Date(), v.bundle);
  io.out(registryAuthYaml({ realm, service, issuer: TOKEN_ISSUER, rootcertbundle }));
  return 0;
}

export async function rotateSigningKeyCommand(argv: string[], io: Io = stdio): Promise<number> {
  const usage = 'bosun server rotate-signing-key --data DIR';
  const v = parse(argv, { data: { type: 'string' } }, usage, io);
  if (!v) return 2;
  if (!v.data) {
    io.err(`missing --data\nusage: ${usage}\n`);
    return 2;
  }
  const r = await rotateSigningKey(v.data);
  io.out(
    `new signing key ${r.kid} is current${r.previousKid ? `; ${r.previousKid} stays in the bundle until its tokens expire` : ''}.\n` +
      `bundle: ${r.bundle}\nRestart (or reload) each registry so it reads the new bundle.\n`,
  );
  return 0;
}
