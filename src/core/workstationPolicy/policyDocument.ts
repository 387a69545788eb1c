// Schema validation of admin documents (registry.json, Bosun's settings.json) and the judgement of
// an allowedOrgs value, shared by every source so each reports the same way.
import type { ErrorObject } from 'ajv';
import { validatorFor } from '../../common/schemas.js';
import { normalizeOrgEntries, type RawOrgEntry } from '../names/orgName.js';
import { decodePolicyText, parsePolicyJson } from './policyText.js';

/** One problem, located by JSON path (RFC 6901; "" = the whole document). */
export interface Issue {
  path: string;
  message: string;
}

/** What one source says: its normalized orgs, and everything wrong or doubtful about it. */
export interface SourceFindings {
  allowedOrgs: string[];
  errors: Issue[];
  warnings: Issue[];
}

/** How to fix a schema error, for the paths IT meets most (registry.json and settings.json). */
function fixFor(path: string, keyword: string, value: unknown): string {
  if (path === '/allowedOrgs' || path.startsWith('/allowedOrgs/')) {
    if (keyword === 'required') return '; add "allowedOrgs": ["your-org"] (the organizations developers must sign in to)';
    if (keyword === 'minItems') return '; list at least one organization, e.g. "allowedOrgs": ["your-org"], or remove the file to stop enforcing';
    if (keyword === 'type' && path === '/allowedOrgs' && typeof value === 'string') return `; write it as a list: "allowedOrgs": [${JSON.stringify(value)}]`;
    if (keyword === 'type' && path === '/allowedOrgs') return '; write it as a list of names: "allowedOrgs": ["your-org"]';
    if (keyword === 'type') return '; each entry is an organization name in quotes, e.g. "your-org"';
  }
  if (path === '/server' && keyword === 'required') return '; add "server": "https://bosun.example.com" (your Bosun server)';
  if (path === '' && keyword === 'type') return '; the file must hold one JSON object, e.g. {"allowedOrgs": ["your-org"]}';
  return '';
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const part of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

function describe(e: ErrorObject, root: unknown): Issue {
  const p = e.params as Record<string, unknown>;
  const at = (path: string, message: string): Issue => ({ path, message: message + fixFor(path, e.keyword, valueAt(root, path)) });
  switch (e.keyword) {
    case 'required':
      return at(`${e.instancePath}/${String(p.missingProperty)}`, 'is required but missing');
    case 'type':
      return at(e.instancePath, `must be ${String(p.type) === 'array' ? 'an array' : `of type ${String(p.type)}`}`);
    case 'minItems':
      return at(e.instancePath, `must have at least ${String(p.limit)} entry`);
    case 'format':
      return at(e.instancePath, `must be a ${String(p.format)} (for example http://127.0.0.1:8080)`);
    case 'pattern':
      return at(e.instancePath, `has the wrong form (expected to match ${String(p.pattern)})`);
    default:
      return at(e.instancePath, e.message ?? 'is invalid');
  }
}

/**
 * Validates against `schemas/<file>`, collecting every error (ajv allErrors). Unknown keys are
 * warnings: a key added by a newer Docker Desktop must not break enforcement, but an admin is told.
 */
export function validateDocument(schemaFile: string, value: unknown): { errors: Issue[]; warnings: Issue[] } {
  const validate = validatorFor(schemaFile);
  validate(value);
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'additionalProperties') {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      warnings.push({ path: `${e.instancePath}/${key}`, message: `unknown key "${key}" is ignored; check its spelling` });
    } else {
      errors.push(describe(e, value));
    }
  }
  return { errors, warnings };
}

/** Decodes and parses a JSON admin file; on failure the findings carry the one error. */
export function readJsonDocument(bytes: Uint8Array, name: string): { value?: unknown; warnings: Issue[]; errors: Issue[] } {
  const decoded = decodePolicyText(bytes, name);
  if (!decoded.ok) return { errors: [decoded.error], warnings: [] };
  const parsed = parsePolicyJson(decoded.text, name);
  if (!parsed.ok) return { errors: [parsed.error], warnings: decoded.warnings };
  return { value: parsed.value, errors: [], warnings: [...decoded.warnings, ...parsed.warnings] };
}

/** Normalizes raw entries and fails the source when nothing usable remains (fail closed). */
export function judgeOrgEntries(entries: RawOrgEntry[], emptyPath: string): SourceFindings {
  const { allowedOrgs, errors } = normalizeOrgEntries(entries);
  if (allowedOrgs.length === 0 && errors.length === 0) {
    errors.push({ path: emptyPath, message: 'lists no organization (every entry is empty); add at least one, or remove the policy to stop enforcing' });
  }
  return { allowedOrgs: errors.length ? [] : allowedOrgs, errors, warnings: [] };
}

/**
 * Judges registry.json content. Outcome rules (documented in README, "policy"): a present file
 * always enforces; if anything is wrong — empty, not JSON, wrong encoding, allowedOrgs missing,
 * empty, of the wrong type, or holding a bad name — the findings carry errors and the policy fails
 * closed. Only the absence of every source means "no policy".
 */
export function evaluateRegistryJson(bytes: Uint8Array, name = 'registry.json'): SourceFindings {
  const doc = readJsonDocument(bytes, name);
  if (doc.errors.length) return { allowedOrgs: [], errors: doc.errors, warnings: doc.warnings };
  const { errors, warnings } = validateDocument('registry.schema.json', doc.value);
  const allWarnings = [...doc.warnings, ...warnings];
  if (errors.length) return { allowedOrgs: [], errors, warnings: allWarnings };
  const orgs = (doc.value as { allowedOrgs: string[] }).allowedOrgs;
  const judged = judgeOrgEntries(
    orgs.map((value, i) => ({ path: `/allowedOrgs/${i}`, value })),
    '/allowedOrgs',
  );
  return { ...judged, warnings: allWarnings };
}
