// `bosun server apply -f FILE --url URL --username NAME --password-stdin [--dry-run] [--prune]`:
// checks FILE locally (every error, with its path), signs in, and sends it to the server, which
// applies it in one transaction and answers with the changes.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { schemaIssues } from '../apply/directoryFile.js';
import { formatChange, type Change } from '../apply/applyDirectory.js';
import type { SchemaIssue } from '../../common/schemas.js';
import { firstLine, readStdin } from './readSecret.js';

function printIssues(file: string, issues: readonly SchemaIssue[]): void {
  console.error(`${file}: ${issues.length} problem(s); nothing was changed:`);
  for (const i of issues) console.error(`  ${i.path || '/'}: ${i.message}`);
}

async function postJson(url: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
    throw new Error(
      `cannot reach the Bosun server at ${new URL(url).origin} (${cause}). Check --url and that \`bosun server start\` is running. Nothing was changed.`,
    );
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { message: text.slice(0, 300) };
  }
  return { status: res.status, json };
}

export async function runApply(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string', short: 'f' },
      url: { type: 'string' },
      username: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      prune: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.file || !values.url || !values.username || !values['password-stdin']) {
    console.error('usage: bosun server apply -f FILE --url URL --username NAME --password-stdin [--dry-run] [--prune]');
    return 2;
  }
  let config: unknown;
  try {
    // YAML 1.2 is a superset of JSON, so one parser reads both.
    config = parseYaml(readFileSync(values.file, 'utf8'), { uniqueKeys: true });
  } catch (err) {
    console.error(`${values.file}: cannot read it as YAML or JSON: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`);
    return 1;
  }
  const local = schemaIssues(config);
  if (local.length) {
    printIssues(values.file, local);
    return 1;
  }

  const password = firstLine(await readStdin());
  const base = values.url.replace(/\/+$/, '');
  const signIn = await postJson(`${base}/v2/auth/token`, { identifier: values.username, secret: password });
  if (signIn.status !== 200 || typeof signIn.json.access_token !== 'string') {
    console.error(`bosun server apply: sign-in as ${values.username} failed (${signIn.status}): ${String(signIn.json.message ?? signIn.json.detail ?? '')}`);
    return 1;
  }
  const res = await postJson(`${base}/api/v1/apply`, { config, dryRun: values['dry-run'], prune: values.prune }, signIn.json.access_token);
  if (res.status === 400 && Array.isArray(res.json.errors)) {
    printIssues(values.file, res.json.errors as SchemaIssue[]);
    return 1;
  }
  if (res.status !== 200) {
    console.error(`bosun server apply: the server answered ${res.status}: ${String(res.json.message ?? '')}`);
    return 1;
  }
  const changes = (res.json.changes ?? []) as Change[];
  for (const c of changes) console.log(formatChange(c));
  const warnings = Array.isArray(res.json.warnings) ? (res.json.warnings as unknown[]).map(String) : [];
  for (const w of warnings) console.error(`warning: ${w}`);
  const verb = values['dry-run'] ? 'would change' : 'changed';
  console.log(
    changes.length
      ? `${verb} ${changes.length} item(s)${values['dry-run'] ? ' (dry run: nothing was changed)' : ''}`
      : 'no changes: the server already matches the file',
  );
  return 0;
}
