// A Windows `.reg` file setting Docker's allowedOrgs policy value (README's source 1):
// HKLM\SOFTWARE\Policies\Docker\Docker Desktop, value allowedOrgs, REG_MULTI_SZ, one org per string.
// Written the way regedit exports: "Windows Registry Editor Version 5.00", UTF-16LE with a BOM,
// CRLF line ends, and REG_MULTI_SZ as hex(7) bytes (UTF-16LE strings, each NUL-terminated, then an
// empty string) wrapped at 80 columns with ",\" continuations.

export const POLICY_KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Docker\\Docker Desktop';
export const POLICY_VALUE = 'allowedOrgs';

/** The REG_MULTI_SZ data: each string in UTF-16LE followed by U+0000, then one more U+0000. */
export function multiSzBytes(strings: readonly string[]): Buffer {
  return Buffer.from(strings.map((s) => s + '\0').join('') + '\0', 'utf16le');
}

/** `"name"=hex(7):xx,xx,…` wrapped like regedit: lines of at most 80 characters, continued with `,\`. */
function hexValueLines(name: string, data: Buffer): string[] {
  const bytes = [...data].map((b) => b.toString(16).padStart(2, '0'));
  const lines: string[] = [];
  let line = `"${name}"=hex(7):`;
  for (let i = 0; i < bytes.length; i++) {
    const last = i === bytes.length - 1;
    const piece = bytes[i] + (last ? '' : ',');
    // Keep room for the "\" continuation marker.
    if (line.length + piece.length + (last ? 0 : 1) > 80 && !line.endsWith(':')) {
      lines.push(line + '\\');
      line = '  ';
    }
    line += piece;
  }
  lines.push(line);
  return lines;
}

/** The file's text (before encoding). */
export function renderRegText(allowedOrgs: readonly string[]): string {
  const lines = ['Windows Registry Editor Version 5.00', '', `[${POLICY_KEY}]`, ...hexValueLines(POLICY_VALUE, multiSzBytes(allowedOrgs)), ''];
  return lines.join('\r\n') + '\r\n';
}

/** The file's bytes: UTF-16LE with a byte order mark, as regedit writes and reads it. */
export function renderRegFile(allowedOrgs: readonly string[]): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(renderRegText(allowedOrgs), 'utf16le')]);
}
