// Pure parsers for the native policy sources that only exist on Windows and macOS. The adapters in
// src/platform/workstationPolicy run `reg query` / `plutil` there and hand the recorded output to these.
import { judgeOrgEntries, type Issue, type SourceFindings } from './policyDocument.js';

/** A source either does not set allowedOrgs at all, or does (validly or not). */
export type NativeSourceResult = { present: false; note?: string } | { present: true; findings: SourceFindings };

const errorResult = (path: string, message: string, warnings: Issue[] = []): NativeSourceResult => ({
  present: true,
  findings: { allowedOrgs: [], errors: [{ path, message }], warnings },
});

/**
 * Output of `reg query "HKLM\SOFTWARE\Policies\Docker\Docker Desktop" /v allowedOrgs`.
 * reg prints a REG_MULTI_SZ value with its strings joined by the two characters `\0`.
 */
export function parseRegQueryAllowedOrgs(output: { stdout: string; stderr: string; exitCode: number }): NativeSourceResult {
  const line = output.stdout.split(/\r?\n/).find((l) => /^\s+allowedOrgs\s+REG_/i.test(l));
  if (output.exitCode !== 0 || !line) {
    const said = `${output.stderr} ${output.stdout}`.trim();
    if (/unable to find/i.test(said) || (output.exitCode === 0 && !line)) return { present: false };
    return errorResult('', `reading the registry value failed (${said || `reg exited with ${output.exitCode}`}); check that the key is readable by users`);
  }
  const m = /^\s+allowedOrgs\s+(REG_[A-Z_]+)\s*(.*)$/i.exec(line);
  const type = (m?.[1] ?? '').toUpperCase();
  const data = m?.[2] ?? '';
  if (type === 'REG_MULTI_SZ') {
    const parts = data.split('\\0');
    return {
      present: true,
      findings: judgeOrgEntries(
        parts.map((value, i) => ({ path: `allowedOrgs[${i}]`, value })),
        'allowedOrgs',
      ),
    };
  }
  if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') {
    const findings = judgeOrgEntries([{ path: 'allowedOrgs', value: data }], 'allowedOrgs');
    findings.warnings.push({
      path: 'allowedOrgs',
      message: `is ${type}; it was read as ";"-separated names, but Docker Desktop expects REG_MULTI_SZ with one organization per line`,
    });
    return { present: true, findings };
  }
  return errorResult('allowedOrgs', `has registry type ${type || '(unknown)'}; it must be REG_MULTI_SZ with one organization per line`);
}

/** The result of `plutil -convert json -o - <plist>` (exit code, stdout, stderr). */
export interface PlutilOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

function plutilObject(output: PlutilOutput, file: string): { ok: true; value: Record<string, unknown> } | { ok: false; result: NativeSourceResult } {
  if (output.exitCode !== 0) {
    return { ok: false, result: errorResult('', `${file} cannot be read as a property list (${(output.stderr || output.stdout).trim()}); redeploy it`) };
  }
  let value: unknown;
  try {
    value = JSON.parse(output.stdout);
  } catch {
    return { ok: false, result: errorResult('', `${file}: plutil printed something that is not JSON; redeploy the file`) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, result: errorResult('', `${file} must hold a dictionary at the top level`) };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function stringEntries(value: unknown, path: string, expected: 'string' | 'array', file: string): NativeSourceResult {
  if (typeof value === 'string') {
    const findings = judgeOrgEntries([{ path, value }], path);
    if (expected === 'array')
      findings.warnings.push({ path, message: `${file}: allowedOrgs is a string; it was read as ";"-separated names, but an array of strings is expected` });
    return { present: true, findings };
  }
  if (Array.isArray(value)) {
    const bad = value.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) return errorResult(`${path}/${bad}`, `${file}: every allowedOrgs entry must be a string`);
    const findings = judgeOrgEntries(
      (value as string[]).map((v, i) => ({ path: `${path}/${i}`, value: v })),
      path,
    );
    if (expected === 'string')
      findings.warnings.push({
        path,
        message: `${file}: allowedOrgs is an array; it was accepted, but the com.docker.config payload documents one ";"-separated string`,
      });
    return { present: true, findings };
  }
  return errorResult(
    path,
    `${file}: allowedOrgs must be ${expected === 'string' ? 'one string of names separated by ";"' : 'an array of strings'}, not ${value === null ? 'null' : typeof value}`,
  );
}

/**
 * macOS configuration profile, payload type com.docker.config, as managed preferences:
 * key allowedOrgs holds one string, organizations separated by ";". The payload may carry other
 * Docker keys, so a missing allowedOrgs means this source sets no policy.
 */
export function parseManagedPreferences(output: PlutilOutput, file: string): NativeSourceResult {
  const obj = plutilObject(output, file);
  if (!obj.ok) return obj.result;
  if (!('allowedOrgs' in obj.value)) return { present: false, note: `${file} exists but sets no allowedOrgs` };
  return stringEntries(obj.value.allowedOrgs, '/allowedOrgs', 'string', file);
}

/** macOS desktop.plist: allowedOrgs is an array of strings among Docker Desktop's other settings. */
export function parseDesktopPlist(output: PlutilOutput, file: string): NativeSourceResult {
  const obj = plutilObject(output, file);
  if (!obj.ok) return obj.result;
  if (!('allowedOrgs' in obj.value)) return { present: false, note: `${file} exists but sets no allowedOrgs` };
  return stringEntries(obj.value.allowedOrgs, '/allowedOrgs', 'array', file);
}
