// A reader for Windows `.reg` files, as the test oracle for the generator: it decodes the bytes the
// way regedit does (UTF-16LE after a BOM), joins "\"-continued lines, and decodes hex(7) data
// (REG_MULTI_SZ) into its strings. It also renders a value the way `reg query` prints it, so a
// generated file can be fed to the agent's parser of `reg query` output.

export type RegValue = { type: 'REG_MULTI_SZ'; strings: string[] } | { type: 'REG_SZ'; string: string } | { type: 'REG_DWORD'; number: number };

export interface RegFile {
  keys: Map<string, Map<string, RegValue>>;
}

export function parseRegFile(bytes: Uint8Array): RegFile {
  if (bytes[0] !== 0xff || bytes[1] !== 0xfe) throw new Error('not UTF-16LE with a byte order mark (regedit writes FF FE first)');
  const text = Buffer.from(bytes.subarray(2)).toString('utf16le');
  const lines = text.split('\r\n');
  if (lines[0] !== 'Windows Registry Editor Version 5.00') throw new Error(`bad header line: ${JSON.stringify(lines[0])}`);
  if (text.includes('\n') && text.split('\n').length !== lines.length) throw new Error('line ends must all be CRLF');
  const logical: string[] = [];
  let pending = '';
  for (const line of lines.slice(1)) {
    const joined = pending + (pending ? line.replace(/^\s+/, '') : line);
    if (joined.endsWith('\\')) pending = joined.slice(0, -1);
    else {
      logical.push(joined);
      pending = '';
    }
  }
  if (pending) throw new Error('file ends inside a continued line');
  const keys = new Map<string, Map<string, RegValue>>();
  let current: Map<string, RegValue> | undefined;
  for (const line of logical) {
    if (line.trim() === '') continue;
    const key = /^\[([^\]]+)\]$/.exec(line);
    if (key) {
      current = new Map();
      keys.set(key[1]!, current);
      continue;
    }
    const value = /^"((?:[^"\\]|\\.)*)"=(.*)$/.exec(line);
    if (!value || !current) throw new Error(`cannot parse line: ${line}`);
    const [, name, data] = value as unknown as [string, string, string];
    if (data.startsWith('hex(7):')) {
      const bytesOut = Buffer.from(
        data
          .slice(7)
          .split(',')
          .map((h) => {
            if (!/^[0-9a-f]{2}$/.test(h)) throw new Error(`bad hex byte "${h}" in ${name}`);
            return parseInt(h, 16);
          }),
      );
      const decoded = bytesOut.toString('utf16le');
      if (!decoded.endsWith('\0\0')) throw new Error(`${name}: REG_MULTI_SZ data must end with two NUL characters`);
      current.set(name, { type: 'REG_MULTI_SZ', strings: decoded.slice(0, -2).split('\0') });
    } else if (data.startsWith('"')) {
      current.set(name, { type: 'REG_SZ', string: JSON.parse(data) as string });
    } else if (data.startsWith('dword:')) {
      current.set(name, { type: 'REG_DWORD', number: parseInt(data.slice(6), 16) });
    } else throw new Error(`unsupported value type in: ${line}`);
  }
  return { keys };
}

/** What `reg query "<key>" /v <name>` prints for a value (REG_MULTI_SZ strings joined by a literal \0). */
export function regQueryOutput(key: string, name: string, value: RegValue): string {
  const data = value.type === 'REG_MULTI_SZ' ? value.strings.join('\\0') : value.type === 'REG_SZ' ? value.string : `0x${value.number.toString(16)}`;
  return `\r\n${key}\r\n    ${name}    ${value.type}    ${data}\r\n\r\n`;
}
