// The token service's signing keys in the server's data directory (0700 directory, 0600 files):
//
//   <data>/token-signing/keys.json   current key + certificate, and retired certificates with the
//                                    time until which tokens they signed may still be presented
//   <data>/token-signing/bundle.pem  the registry's `rootcertbundle`: current + still-needed retired
//
// Generated at first start. Rotation with overlap: the new key signs from now on, and the old
// certificate stays in the bundle until every token it signed has expired, so a registry restarted
// with the new bundle accepts both old and new tokens.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../common/atomicFile.js';
import { generateSigningKey } from './certificate.js';
import { libtrustKeyId } from './keyId.js';

/** Longest lifetime of a registry token; retired certificates stay in the bundle at least this long. */
export const TOKEN_LIFETIME_SECONDS = 300;
/** Extra time a retired certificate is kept, for clock differences with the registry. */
const RETIRE_MARGIN_SECONDS = 120;

interface StoredKeys {
  version: 1;
  current: { privateKeyPem: string; certificatePem: string; createdAt: string };
  retired: Array<{ certificatePem: string; keepUntil: string }>;
}

/** The key that signs tokens now, ready to use. */
export interface ActiveSigningKey {
  privateKey: KeyObject;
  /** libtrust key ID (the JWT `kid`). */
  kid: string;
  /** base64 DER of the certificate (the JWT `x5c`). */
  certificateDer: string;
  certificatePem: string;
}

export function signingDir(dataDir: string): string {
  return join(resolve(dataDir), 'token-signing');
}

export function bundlePath(dataDir: string): string {
  return join(signingDir(dataDir), 'bundle.pem');
}

function keysPath(dataDir: string): string {
  return join(signingDir(dataDir), 'keys.json');
}

function readStored(dataDir: string): StoredKeys | undefined {
  const path = keysPath(dataDir);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}); restore it from ${path}.bak or remove it to generate a new signing key`);
  }
  const s = parsed as Partial<StoredKeys>;
  if (s?.version !== 1 || typeof s.current?.privateKeyPem !== 'string' || typeof s.current.certificatePem !== 'string' || !Array.isArray(s.retired)) {
    throw new Error(`${path} is not a Bosun signing key file; restore it from ${path}.bak or remove it to generate a new signing key`);
  }
  return s as StoredKeys;
}

/** Each file's previous version stays as `<file>.bak`, so a bad rotation can be undone by hand. */
const keptAsBak = (mode: number) => ({ mode, backupSuffix: '.bak' });

function writeStored(dataDir: string, stored: StoredKeys, now: Date): void {
  mkdirSync(signingDir(dataDir), { recursive: true, mode: 0o700 });
  writeFileAtomic(keysPath(dataDir), `${JSON.stringify(stored, null, 2)}\n`, keptAsBak(0o600));
  writeBundle(dataDir, stored, now);
}

/** The certificates the registry must trust now: the current one and retired ones still needed. */
function bundleCertificates(stored: StoredKeys, now: Date): string[] {
  const live = stored.retired.filter((r) => Date.parse(r.keepUntil) > now.getTime()).map((r) => r.certificatePem);
  return [stored.current.certificatePem, ...live].map((pem) => pem.trim());
}

function writeBundle(dataDir: string, stored: StoredKeys, now: Date): string {
  const path = bundlePath(dataDir);
  writeFileAtomic(path, `${bundleCertificates(stored, now).join('\n')}\n`, keptAsBak(0o644));
  return path;
}

/** Loads the signing key, generating it (and the bundle) at first start. */
export async function ensureSigningKey(dataDir: string, now = new Date()): Promise<ActiveSigningKey> {
  let stored = readStored(dataDir);
  if (!stored) {
    const generated = await generateSigningKey(now);
    stored = { version: 1, current: { ...generated, createdAt: now.toISOString() }, retired: [] };
    writeStored(dataDir, stored, now);
  }
  return activate(stored);
}

/** Makes a new key current; the old certificate stays in the bundle until its tokens have expired. */
export async function rotateSigningKey(dataDir: string, now = new Date()): Promise<{ previousKid: string; kid: string; bundle: string }> {
  const stored = readStored(dataDir);
  const generated = await generateSigningKey(now);
  const keepUntil = new Date(now.getTime() + (TOKEN_LIFETIME_SECONDS + RETIRE_MARGIN_SECONDS) * 1000).toISOString();
  const next: StoredKeys = {
    version: 1,
    current: { ...generated, createdAt: now.toISOString() },
    retired: [
      ...(stored ? [{ certificatePem: stored.current.certificatePem, keepUntil }] : []),
      ...(stored?.retired ?? []).filter((r) => Date.parse(r.keepUntil) > now.getTime()),
    ],
  };
  writeStored(dataDir, next, now);
  return {
    previousKid: stored ? activate(stored).kid : '',
    kid: activate(next).kid,
    bundle: bundlePath(dataDir),
  };
}

/**
 * Rewrites the bundle (dropping expired retired certificates) and returns its absolute path; with
 * `copyTo`, also writes it there (world-readable: certificates only) and returns that path.
 */
export async function writeCertificateBundle(dataDir: string, now = new Date(), copyTo?: string): Promise<string> {
  await ensureSigningKey(dataDir, now);
  const stored = readStored(dataDir) as StoredKeys;
  const inData = writeBundle(dataDir, stored, now);
  if (!copyTo) return inData;
  const target = resolve(copyTo);
  mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
  writeFileAtomic(target, `${bundleCertificates(stored, now).join('\n')}\n`, keptAsBak(0o644));
  return target;
}

function activate(stored: StoredKeys): ActiveSigningKey {
  const privateKey = createPrivateKey(stored.current.privateKeyPem);
  const cert = new X509Certificate(stored.current.certificatePem);
  return {
    privateKey,
    kid: libtrustKeyId(privateKey),
    certificateDer: cert.raw.toString('base64'),
    certificatePem: stored.current.certificatePem,
  };
}

/**
 * The current key, re-read when keys.json changes (a `bosun server rotate-signing-key` run while
 * the server is up), checked at most once a second.
 */
export class SigningKeySource {
  private active: ActiveSigningKey | undefined;
  private mtimeMs = -1;
  private checkedAt = 0;

  constructor(private readonly dataDir: string) {}

  async current(nowMs = Date.now()): Promise<ActiveSigningKey> {
    if (this.active && nowMs - this.checkedAt < 1000) return this.active;
    this.checkedAt = nowMs;
    const path = keysPath(this.dataDir);
    const mtime = existsSync(path) ? statSync(path).mtimeMs : -1;
    if (!this.active || mtime !== this.mtimeMs) {
      this.active = await ensureSigningKey(this.dataDir);
      this.mtimeMs = statSync(path).mtimeMs;
    }
    return this.active;
  }
}
