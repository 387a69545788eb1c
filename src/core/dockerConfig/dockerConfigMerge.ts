// Bosun's entries in Docker's config.json (README, "Credential helper"), as pure functions
// over the parsed document: `credHelpers["<registry host>"] = "bosun"` for each protected registry,
// and for every other spelling of it the file already names (src/core/dockerConfig/registryHost.ts). Static
// credentials for a protected registry (`auths`, under any spelling) would let docker bypass the
// helper, so they are removed when Bosun may change the file. Everything else is the user's or
// another program's and survives untouched: credsStore, other registries' helpers and auths, and
// keys this code does not know.
import { canonicalRegistry, DOCKER_HUB_HOST, protectedRegistryFor, registryHost } from './registryHost.js';

/** The helper name Docker derives `docker-credential-bosun` from. */
export const BOSUN_HELPER = 'bosun';

export type DockerConfigDocument = Record<string, unknown>;

/**
 * The credHelpers keys clients look up for one registry. Docker Hub goes by three names: the docker
 * CLI looks up its index URL `https://index.docker.io/v1/` (seen with CLI 28: `docker logout` skips a
 * helper set under `index.docker.io`), containers/image (skopeo, podman) looks up `docker.io`, and
 * the design names the host `index.docker.io`. Every other registry is its `host[:port]`.
 */
export function credHelperKeys(registry: string): string[] {
  if (canonicalRegistry(registry) === DOCKER_HUB_HOST) {
    return ['index.docker.io', 'https://index.docker.io/v1/', 'docker.io'];
  }
  return [registry];
}

function expand(registries: readonly string[]): string[] {
  return [...new Set(registries.flatMap(credHelperKeys))];
}

export type ParsedDockerConfig = { ok: true; config: DockerConfigDocument } | { ok: false; message: string };

/** Parses config.json text; an empty or missing file is an empty config, anything else non-object is malformed. */
export function parseDockerConfig(text: string | undefined): ParsedDockerConfig {
  if (text === undefined || text.trim() === '') return { ok: true, config: {} };
  let value: unknown;
  try {
    // Docker itself accepts a UTF-8 BOM-free file only; a BOM is stripped rather than called malformed.
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, message: `is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'is not a JSON object' };
  const helpers = (value as DockerConfigDocument).credHelpers;
  if (helpers !== undefined && (helpers === null || typeof helpers !== 'object' || Array.isArray(helpers))) {
    return { ok: false, message: '"credHelpers" is not a JSON object' };
  }
  return { ok: true, config: value as DockerConfigDocument };
}

function helpersOf(config: DockerConfigDocument): Record<string, unknown> {
  const h = config.credHelpers;
  return h && typeof h === 'object' && !Array.isArray(h) ? (h as Record<string, unknown>) : {};
}

function authsOf(config: DockerConfigDocument): Record<string, unknown> {
  const a = config.auths;
  return a && typeof a === 'object' && !Array.isArray(a) ? (a as Record<string, unknown>) : {};
}

const CREDENTIAL_FIELDS = ['auth', 'password', 'identitytoken', 'registrytoken'];

/**
 * Whether an `auths` entry holds credentials docker would send. `{}` (what `docker login` writes when a
 * credsStore keeps the secret) holds none; anything that is not an object is treated as holding some.
 */
function holdsCredentials(entry: unknown): boolean {
  if (entry === null || entry === undefined) return false;
  if (typeof entry !== 'object' || Array.isArray(entry)) return true;
  return CREDENTIAL_FIELDS.some((f) => {
    const v = (entry as Record<string, unknown>)[f];
    return v !== undefined && v !== null && v !== '';
  });
}

/** `auths` keys that hold static credentials for a protected registry, under any spelling. */
export function staticCredentialKeys(config: DockerConfigDocument, registries: readonly string[]): string[] {
  const auths = authsOf(config);
  return Object.keys(auths).filter((k) => protectedRegistryFor(k, registries) !== undefined && holdsCredentials(auths[k]));
}

/**
 * The credHelpers keys docker looks up for the protected registries: each registry's own keys, plus
 * the host (as docker derives it from a reference) of every other spelling the file already uses in
 * `credHelpers` or `auths`, so a pull through that spelling asks Bosun and not another store.
 */
function wantedKeys(config: DockerConfigDocument, registries: readonly string[]): Set<string> {
  const wanted = new Set(expand(registries));
  for (const key of Object.keys(helpersOf(config))) if (protectedRegistryFor(key, registries) !== undefined) wanted.add(key);
  for (const key of Object.keys(authsOf(config))) {
    const host = registryHost(key);
    if (host && protectedRegistryFor(key, registries) !== undefined) wanted.add(host);
  }
  return wanted;
}

export interface MergeResult {
  config: DockerConfigDocument;
  changed: boolean;
}

export interface ApplyOptions {
  /**
   * Whether Bosun may remove static credentials for protected registries from `auths`. False when
   * the file is not Bosun's to change (read-only, or owned by another account): they are only reported.
   */
  removeStaticCredentials?: boolean;
}

export interface ApplyResult extends MergeResult {
  /** `auths` keys whose static credentials for a protected registry were removed. */
  removedCredentials: string[];
  /** `auths` keys whose static credentials for a protected registry are there and were left (not Bosun's to change). */
  keptCredentials: string[];
}

/**
 * Makes Bosun's entries exactly `registries` (under every spelling the file uses for them): sets each
 * to "bosun" (a protected registry is Bosun's, whatever helper was there), removes "bosun" entries for
 * registries no longer protected, and removes static `auths` credentials for protected registries
 * when `removeStaticCredentials` allows it. Returns a new document; the input is not modified.
 */
export function applyBosunEntries(config: DockerConfigDocument, registries: readonly string[], options: ApplyOptions = {}): ApplyResult {
  const wanted = wantedKeys(config, registries);
  const helpers = { ...helpersOf(config) };
  let changed = false;
  for (const [host, helper] of Object.entries(helpers)) {
    if (helper === BOSUN_HELPER && !wanted.has(host)) {
      delete helpers[host];
      changed = true;
    }
  }
  for (const host of wanted) {
    if (helpers[host] !== BOSUN_HELPER) {
      helpers[host] = BOSUN_HELPER;
      changed = true;
    }
  }
  const found = staticCredentialKeys(config, registries);
  const remove = options.removeStaticCredentials !== false;
  let next: DockerConfigDocument = changed ? { ...config, credHelpers: helpers } : config;
  if (found.length && remove) {
    const auths = { ...authsOf(config) };
    for (const key of found) delete auths[key];
    next = { ...next, auths };
    changed = true;
  }
  return {
    config: changed ? next : config,
    changed,
    removedCredentials: remove ? found : [],
    keptCredentials: remove ? [] : found,
  };
}

/** Removes every "bosun" entry and nothing else; drops `credHelpers` only when Bosun's entries were all it held. */
export function removeBosunEntries(config: DockerConfigDocument): MergeResult & { removed: string[] } {
  const helpers = { ...helpersOf(config) };
  const removed = Object.keys(helpers).filter((h) => helpers[h] === BOSUN_HELPER);
  if (!removed.length) return { config, changed: false, removed };
  for (const host of removed) delete helpers[host];
  const next = { ...config };
  if (Object.keys(helpers).length) next.credHelpers = helpers;
  else delete next.credHelpers;
  return { config: next, changed: true, removed };
}

export interface BosunEntriesReport {
  /** Registries with no credHelpers entry at all. */
  missing: string[];
  /** `auths` keys holding static credentials for a protected registry (any spelling): docker would send them. */
  staticCredentials: string[];
  /** Registries whose entry names another helper. */
  changed: Array<{ registry: string; helper: unknown }>;
  /** "bosun" entries for registries Bosun does not protect (left over). */
  extra: string[];
  ok: boolean;
}

export function inspectBosunEntries(config: DockerConfigDocument, wantedRegistries: readonly string[]): BosunEntriesReport {
  const helpers = helpersOf(config);
  const registries = [...wantedKeys(config, wantedRegistries)];
  const missing: string[] = [];
  const changed: BosunEntriesReport['changed'] = [];
  for (const registry of registries) {
    if (!(registry in helpers)) missing.push(registry);
    else if (helpers[registry] !== BOSUN_HELPER) changed.push({ registry, helper: helpers[registry] });
  }
  const wanted = new Set(registries);
  const extra = Object.keys(helpers).filter((h) => helpers[h] === BOSUN_HELPER && !wanted.has(h));
  const staticCredentials = staticCredentialKeys(config, wantedRegistries);
  return { missing, changed, extra, staticCredentials, ok: !missing.length && !changed.length && !extra.length && !staticCredentials.length };
}
