// Image references, parsed and normalized per the distribution reference grammar
// (distribution/reference, "reference.go" and "normalize.go"):
//
//   reference      := name [ ":" tag ] [ "@" digest ]
//   name           := [domain '/'] path-component ['/' path-component]*
//   domain         := host [':' port-number]
//   host           := domain-name | IPv4address | '[' IPv6address ']'
//   domain-name    := domain-component ['.' domain-component]*
//   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
//   path-component := alpha-numeric [separator alpha-numeric]*
//   alpha-numeric  := /[a-z0-9]+/
//   separator      := /[_.]|__|[-]+/
//   tag            := /[\w][\w.-]{0,127}/
//   digest         := algorithm ":" encoded   (sha256: 64 lowercase hex, sha384: 96, sha512: 128)
//
// Normalization (ParseNormalizedNamed): the first path element is a domain only when it contains
// '.' or ':', is "localhost", or has an uppercase letter; otherwise the domain is docker.io.
// "index.docker.io" is docker.io; a single-element Docker Hub path gets the "library/" namespace;
// a reference with neither tag nor digest gets the tag "latest".

export const DEFAULT_DOMAIN = 'docker.io';
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_NAMESPACE = 'library';
export const DEFAULT_TAG = 'latest';
/** distribution's NameTotalLengthMax: the name including its domain. */
export const NAME_TOTAL_LENGTH_MAX = 255;
const TAG_LENGTH_MAX = 128;
/** Longer input cannot be valid (name + tag + longest digest); refuse before doing any work on it. */
const INPUT_LENGTH_MAX = NAME_TOTAL_LENGTH_MAX + 1 + TAG_LENGTH_MAX + 1 + 'sha512:'.length + 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:.]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):([a-zA-Z0-9=_-]+)$/;
const ANCHORED_IDENTIFIER = /^[a-f0-9]{64}$/;
const DIGEST_HEX_LENGTH: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** A normalized image reference: always a domain, always a tag or a digest (or both). */
export interface ImageReference {
  /** Registry host[:port], e.g. "docker.io" or "registry.example.com:5000". */
  domain: string;
  /** Repository path on that registry, e.g. "library/alpine". */
  path: string;
  /** Present unless the reference names only a digest. */
  tag?: string;
  /** "algorithm:hex", e.g. "sha256:…". */
  digest?: string;
}

/** Why a reference was refused. `input` is the text as given. */
export class ImageReferenceError extends Error {
  override readonly name = 'ImageReferenceError';
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`invalid image reference ${JSON.stringify(shorten(input))}: ${problem}`);
  }
}

function shorten(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

export type ImageReferenceResult = { ok: true; reference: ImageReference } | { ok: false; error: ImageReferenceError };

/** Parses and normalizes; never throws. */
export function tryParseImageReference(input: string): ImageReferenceResult {
  try {
    return { ok: true, reference: parseImageReference(input) };
  } catch (err) {
    if (err instanceof ImageReferenceError) return { ok: false, error: err };
    return { ok: false, error: new ImageReferenceError(String(input), 'unreadable input') };
  }
}

/**
 * Parses and normalizes a reference as docker does: `alpine` → docker.io/library/alpine:latest.
 * Throws ImageReferenceError naming the input and the rule it breaks.
 */
export function parseImageReference(input: string): ImageReference {
  const fail = (problem: string): never => {
    throw new ImageReferenceError(input, problem);
  };
  if (typeof input !== 'string') throw new ImageReferenceError(String(input), 'not a string');
  if (input.length === 0) fail('it is empty');
  if (input.length > INPUT_LENGTH_MAX) fail(`it is longer than ${INPUT_LENGTH_MAX} characters`);
  if (/\s/.test(input)) fail('it contains whitespace');
  if (ANCHORED_IDENTIFIER.test(input)) {
    fail('a 64-character hexadecimal string is an image ID, not a repository name; use the ID directly or add a repository name');
  }

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = parseDigest(rest.slice(at + 1), fail);
    rest = rest.slice(0, at);
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag.length > TAG_LENGTH_MAX) fail(`the tag is longer than ${TAG_LENGTH_MAX} characters`);
    if (!TAG.test(tag)) fail(`the tag ${JSON.stringify(tag)} may hold only letters, digits, '_', '.' and '-', and must not start with '.' or '-'`);
  }
  if (rest.length === 0) fail('the repository name is missing');

  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0 && looksLikeDomain(rest.slice(0, slash))) {
    domain = rest.slice(0, slash);
    path = rest.slice(slash + 1);
    validateDomain(domain, fail);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  validatePath(path, fail);
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = `${OFFICIAL_NAMESPACE}/${path}`;
  if (domain.length + 1 + path.length > NAME_TOTAL_LENGTH_MAX) {
    fail(`the repository name is longer than ${NAME_TOTAL_LENGTH_MAX} characters`);
  }
  if (tag === undefined && digest === undefined) tag = DEFAULT_TAG;
  return { domain, path, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The first path element names a registry when it has '.' or ':', is "localhost", or has uppercase. */
export function looksLikeDomain(firstComponent: string): boolean {
  return firstComponent.includes('.') || firstComponent.includes(':') || firstComponent === 'localhost' || firstComponent.toLowerCase() !== firstComponent;
}

function validateDomain(domain: string, fail: (p: string) => never): void {
  let host = domain;
  const portAt = domain.startsWith('[') ? domain.indexOf(']:') + 1 : domain.lastIndexOf(':');
  if (portAt > 0) {
    const port = domain.slice(portAt + 1);
    host = domain.slice(0, portAt);
    if (!PORT.test(port)) fail(`the registry port ${JSON.stringify(port)} must be digits`);
  }
  if (IPV6_HOST.test(host)) return;
  if (host.length === 0 || !host.split('.').every((c) => DOMAIN_COMPONENT.test(c))) {
    fail(`the registry host ${JSON.stringify(host)} is not a valid host name`);
  }
}

function validatePath(path: string, fail: (p: string) => never): void {
  if (path.length === 0) fail('the repository name is missing');
  for (const component of path.split('/')) {
    if (component.length === 0) fail('the repository name has an empty path component (a doubled or trailing "/")');
    if (PATH_COMPONENT.test(component)) continue;
    if (PATH_COMPONENT.test(component.toLowerCase())) fail(`repository name must be lowercase (${JSON.stringify(component)})`);
    fail(`the path component ${JSON.stringify(component)} may hold only lowercase letters and digits, ` + `separated by '.', '_', '__' or '-'`);
  }
}

function parseDigest(text: string, fail: (p: string) => never): string {
  const m = DIGEST.exec(text);
  if (!m) fail(`the digest ${JSON.stringify(text)} is not algorithm:hex`);
  const [, algorithm, encoded] = m as unknown as [string, string, string];
  const length = DIGEST_HEX_LENGTH[algorithm];
  if (length === undefined) fail(`unsupported digest algorithm ${JSON.stringify(algorithm)} (use sha256, sha384 or sha512)`);
  if (!/^[a-f0-9]+$/.test(encoded)) fail(`the ${algorithm} digest must be lowercase hexadecimal`);
  if (encoded.length !== length) fail(`a ${algorithm} digest has ${length} hex characters, not ${encoded.length}`);
  return `${algorithm}:${encoded}`;
}

/** Is a string a valid repository path (no domain, no tag)? Useful for validating names from admins. */
export function isRepositoryPath(path: string): boolean {
  if (typeof path !== 'string' || path.length === 0 || path.length > NAME_TOTAL_LENGTH_MAX) return false;
  return path.split('/').every((c) => PATH_COMPONENT.test(c));
}

/** "docker.io/library/alpine": domain and path. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** The fully normalized form: "docker.io/library/alpine:latest", "host:5000/ns/img@sha256:…". */
export function normalizedString(ref: ImageReference): string {
  return `${repositoryName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/**
 * The short name docker shows: "alpine", "user/img", "host:5000/ns/img" (FamiliarName). Unlike
 * docker, a Docker Hub path whose first component would read as a host ("a.b/img") keeps its
 * "docker.io/" prefix, so the familiar name always parses back to the same repository.
 */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== DEFAULT_DOMAIN) return repositoryName(ref);
  if (looksLikeDomain(ref.path.slice(0, ref.path.indexOf('/')))) return repositoryName(ref);
  const officialPrefix = `${OFFICIAL_NAMESPACE}/`;
  if (ref.path.startsWith(officialPrefix) && !ref.path.slice(officialPrefix.length).includes('/')) {
    return ref.path.slice(officialPrefix.length);
  }
  return ref.path;
}

/** The familiar name with tag and digest: "alpine:latest", "user/img@sha256:…" (FamiliarString). */
export function familiarString(ref: ImageReference): string {
  return `${familiarName(ref)}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** Normalizes a reference string; throws ImageReferenceError. normalizeImageReference is idempotent. */
export function normalizeImageReference(input: string): string {
  return normalizedString(parseImageReference(input));
}
