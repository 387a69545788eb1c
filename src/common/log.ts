// Bosun's logger: JSON lines in rotating files under the logs dir, with every secret redacted
// before a line is formatted, and audit lines an admin can grep (`"audit":"sign-in"`, ...).
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import winston from 'winston';
import Transport from 'winston-transport';
import { SECRET_TOKEN_PREFIXES } from './tokenPrefixes.js';

/** The events that leave an audit line: sign-in, sign-out, policy change, tampering, denied helper requests (docs/helper.md). */
export type AuditEvent = 'sign-in' | 'sign-out' | 'policy-change' | 'tampering' | 'helper-denied';

export interface LogFields {
  [key: string]: unknown;
}

export interface BosunLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  audit(event: AuditEvent, fields?: LogFields): void;
  /** Flushes and closes the files. */
  close(): Promise<void>;
}

export interface LoggerOptions {
  /** The logs directory (paths.ts `logsDir()`); created 0700. */
  dir: string;
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Rotation: bytes per file and files kept. */
  maxSize?: number;
  maxFiles?: number;
  /** Also write human-readable lines to stderr (the foreground `bosun agent`). */
  console?: boolean;
}

export const LOG_FILE = 'bosun.log';
export const REDACTED = '[redacted]';

/** Keys whose values are secrets whatever they hold. */
const SECRET_KEY = /secret|passw(or)?d|passwd|token|authorization|cookie|api[-_]?key|credential|private[-_]?key/i;
/** Keys that name a secret but hold none: kept so lines stay useful. */
const HARMLESS_KEY = /^(token_?type|tokenKind|hasToken|expires_?in)$/i;

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // JWTs (header.payload.signature, base64url; header and payload start with `eyJ` = `{"`).
  [/eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // HTTP auth schemes, in headers or pasted curl lines.
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [/(authorization\s*[:=]\s*)("?)[^"\s,;]+(?:\s+[^"\s,;]+)?/gi, `$1$2${REDACTED}`],
  // key=value and "key":"value" pairs inside free text.
  [/((?:password|passwd|secret|token|refresh_token|access_token|api_?key)["']?\s*[:=]\s*["']?)[^"'\s&,;}]+/gi, `$1${REDACTED}`],
  // Tokens with a recognisable prefix: Bosun's PATs and refresh tokens as the server issues them, and Docker Hub's PATs.
  [new RegExp(`\\b(${SECRET_TOKEN_PREFIXES.join('|')})[A-Za-z0-9_-]+`, 'g'), `$1${REDACTED}`],
  // user:password@ in URLs.
  [/(\/\/[^/\s:@]+:)[^@/\s]+@/g, `$1${REDACTED}@`],
];

export function redactString(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** A deep copy with every secret replaced; cycles and depth are bounded so logging never throws. */
export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[…]';
  seen.add(value);
  if (value instanceof Error) return { name: value.name, message: redactString(value.message) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && !HARMLESS_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

// Runs first in the format chain, so no transport ever sees a secret. winston keeps its level and
// message under symbols as well, which a copy of the enumerable keys would lose. The server's
// logger (src/server/logger.ts) uses it too.
export const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    const v = info[key];
    info[key] = SECRET_KEY.test(key) && !HARMLESS_KEY.test(key) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v);
  }
  const messageSymbol = Symbol.for('message');
  const splat = Symbol.for('splat');
  const bag = info as unknown as Record<symbol, unknown>;
  if (typeof bag[messageSymbol] === 'string') bag[messageSymbol] = redactString(bag[messageSymbol]);
  if (bag[splat] !== undefined) bag[splat] = redact(bag[splat]);
  return info;
});

export function createLogger(options: LoggerOptions): BosunLogger {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 });
  const file = new RotatingFileTransport(join(options.dir, LOG_FILE), options.maxSize ?? 5 * 1024 * 1024, options.maxFiles ?? 5);
  const transports: winston.transport[] = [file];
  if (options.console) {
    transports.push(
      new winston.transports.Console({
        stderrLevels: ['debug', 'info', 'warn', 'error'],
        format: winston.format.combine(redactFormat(), winston.format.simple()),
      }),
    );
  }
  const logger = winston.createLogger({
    level: options.level ?? 'info',
    format: winston.format.combine(redactFormat(), winston.format.timestamp(), winston.format.json()),
    transports,
  });
  const write = (level: string, message: string, fields?: LogFields) => logger.log(level, message, { ...fields });
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    audit: (event, fields) => write('info', `audit ${event}`, { ...fields, audit: event }),
    close: () =>
      new Promise<void>((resolve) => {
        logger.once('finish', () => {
          file.close();
          resolve();
        });
        logger.end();
      }),
  };
}

/**
 * Size-based rotation with synchronous appends: `bosun.log`, then `bosun.1.log` … `bosun.<maxFiles-1>.log`.
 * winston's own File transport loses lines written in a burst while it rotates (seen with winston
 * 3.17), and a log that drops the tampering line is worse than a slightly slower one.
 */
class RotatingFileTransport extends Transport {
  private fd: number | undefined;
  private size = 0;

  constructor(
    private readonly path: string,
    private readonly maxSize: number,
    private readonly maxFiles: number,
  ) {
    super();
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const line = `${String(info[Symbol.for('message')])}\n`;
    try {
      const bytes = Buffer.byteLength(line);
      if (this.fd === undefined) this.open();
      if (this.size > 0 && this.size + bytes > this.maxSize) this.rotate();
      writeSync(this.fd!, line);
      this.size += bytes;
    } catch (err) {
      this.emit('warn', err);
    }
    next();
  }

  override close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): void {
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
  }

  private rotate(): void {
    this.close();
    const nth = (n: number) => (n === 0 ? this.path : this.path.replace(/\.log$/, `.${n}.log`));
    rmSync(nth(this.maxFiles - 1), { force: true });
    for (let n = this.maxFiles - 2; n >= 0; n--) if (existsSync(nth(n))) renameSync(nth(n), nth(n + 1));
    this.open();
  }
}
