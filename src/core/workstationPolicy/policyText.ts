// Turning the bytes of an admin file into JSON, with an actionable message for every way MDM tools,
// editors and scripts get it wrong (UTF-16 from PowerShell, a BOM from Notepad, Latin-1, binary).
import YAML from 'yaml';

export interface TextIssue {
  path: string;
  message: string;
}

export type DecodedText = { ok: true; text: string; warnings: TextIssue[] } | { ok: false; error: TextIssue };

const RESAVE = 'save it again as UTF-8 without a byte order mark';

function looksLikeUtf16WithoutBom(bytes: Uint8Array): boolean {
  // ASCII text in UTF-16 has a NUL in every other byte.
  if (bytes.length < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  const n = Math.min(bytes.length, 512);
  for (let i = 0; i < n; i++) {
    if (bytes[i] !== 0) continue;
    if (i % 2 === 0) evenNul++;
    else oddNul++;
  }
  const half = n / 2;
  return evenNul > half * 0.6 || oddNul > half * 0.6;
}

/** Decodes an admin file that must be UTF-8 text. `name` is how the message refers to the file. */
export function decodePolicyText(bytes: Uint8Array, name: string): DecodedText {
  const fail = (message: string): DecodedText => ({ ok: false, error: { path: '', message } });
  if (bytes.length === 0) return fail(`${name} is empty (0 bytes)`);
  const b = (i: number) => bytes[i];
  if ((b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0) || (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff)) {
    return fail(`${name} is encoded as UTF-32; ${RESAVE}`);
  }
  if ((b(0) === 0xff && b(1) === 0xfe) || (b(0) === 0xfe && b(1) === 0xff)) {
    return fail(
      `${name} is encoded as UTF-16 (PowerShell's default for Out-File and ">"); ${RESAVE}, ` +
        `for example: Get-Content ${name} | Set-Content -Encoding utf8 ${name}.new, then move it into place`,
    );
  }
  if (looksLikeUtf16WithoutBom(bytes)) return fail(`${name} looks like UTF-16 text without a byte order mark; ${RESAVE}`);
  const warnings: TextIssue[] = [];
  let body = bytes;
  if (b(0) === 0xef && b(1) === 0xbb && b(2) === 0xbf) {
    warnings.push({ path: '', message: `${name} starts with a UTF-8 byte order mark; it was accepted, but ${RESAVE} to be safe with other tools` });
    body = bytes.subarray(3);
  }
  if (body.includes(0)) return fail(`${name} contains NUL bytes: it is a binary file, not JSON text; replace it with a UTF-8 JSON file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return fail(`${name} is not valid UTF-8 (probably saved as Latin-1 or Windows-1252); ${RESAVE}`);
  }
  if (text.trim() === '') return fail(`${name} contains only whitespace`);
  return { ok: true, text, warnings };
}

export type ParsedJson = { ok: true; value: unknown; warnings: TextIssue[] } | { ok: false; error: TextIssue };

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * Where JSON.parse failed. V8 stopped printing the position in Node 20, so the `yaml` parser (whose
 * errors carry offsets) locates most syntax errors; a trailing comma, which YAML allows, is found
 * directly.
 */
function syntaxErrorOffset(text: string, message: string): number | undefined {
  const pos = /position (\d+)/.exec(message);
  if (pos) return Number(pos[1]);
  const yamlError = YAML.parseDocument(text, { version: '1.2' }).errors[0];
  if (yamlError) return yamlError.pos[0];
  const trailing = /,\s*[\]}]/.exec(text);
  return trailing ? trailing.index : undefined;
}

/**
 * Parses JSON text. JSON.parse silently keeps the last of duplicate keys, so a second pass with the
 * `yaml` parser (YAML 1.2 is a JSON superset and it reports duplicate keys) turns them into errors:
 * an admin who wrote allowedOrgs twice must not have half of it ignored.
 */
export function parsePolicyJson(text: string, name: string): ParsedJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const offset = syntaxErrorOffset(text, msg);
    const where = offset === undefined ? '' : ` at ${lineAndColumn(text, offset)}`;
    return {
      ok: false,
      error: { path: '', message: `${name} is not valid JSON${where} (${msg}); check for a missing comma, quote or bracket, or a trailing comma` },
    };
  }
  const doc = YAML.parseDocument(text, { uniqueKeys: true, version: '1.2' });
  const dup = doc.errors.find((e) => e.code === 'DUPLICATE_KEY');
  if (dup) {
    const at = lineAndColumn(text, dup.pos[0]);
    return { ok: false, error: { path: '', message: `${name} has the same key twice (${at}); keep one, because JSON readers disagree on which one wins` } };
  }
  return { ok: true, value, warnings: [] };
}
