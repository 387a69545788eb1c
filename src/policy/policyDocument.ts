// Schema validation of admin documents (registry.json, Bosun's settings.json) and the judgement of
// an allowedOrgs value, shared by every source so each reports the same way.
import type { ErrorObject } from 'ajv';
import { validatorFor } from '../common/schemas.js';
import { normalizeOrgEntries, type RawOrgEntry } from './orgName.js';
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

function describe(e: ErrorObject): Issue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: `${e.instancePath}/${String(p.missingProperty)}`, message: 'is required but missing' };
    case 'type':
      return { path: e.instancePath, message: `must be ${String(p.type) === 'array' ? 'an array' : `of type ${String(p.type)}`}` };
    case 'minItems':
      return { path: e.instancePath, message: `must have at least ${String(p.limit)} entry` };
    case 'format':
      return { path: e.instancePath, message: `must be a ${String(p.format)} (for example http://127.0.0.1:8080)` };
    case 'pattern':
      return { path: e.instancePath, message: `has the wrong form (expected to match ${String(p.pattern)})` };
    default:
      return { path: e.instancePath, message: e.message ?? 'is invalid' };
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
      errors.push(describe(e));
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
  const judged = judgeOrgEntries(orgs.map((value, i) => ({ path: `/allowedOrgs/${i}`, value })), '/allowedOrgs');
  return { ...judged, warnings: allWarnings };
}
