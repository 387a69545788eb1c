// The agent proves it is this user's agent before a client sends it anything secret: the client sends
// a random challenge, the agent answers HMAC-SHA-256(agent key, challenge), and the client checks it
// against the key file only this OS user can read. A process that merely got to the socket or named
// pipe first (on Windows another user can create the pipe name before the agent starts) cannot answer.
// Node built-ins only: the credential helper bundles this.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../common/atomicFile.js';

export const HELLO_METHOD = 'agent.hello';
const KEY_BYTES = 32;

export function newChallenge(): string {
  return randomBytes(32).toString('base64url');
}

export function proof(key: Buffer, challenge: string): string {
  return createHmac('sha256', key).update(`bosun-agent-hello\n${challenge}`).digest('base64url');
}

export function proofMatches(key: Buffer, challenge: string, answer: unknown): boolean {
  if (typeof answer !== 'string') return false;
  const expected = Buffer.from(proof(key, challenge));
  const got = Buffer.from(answer);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** A fresh key for this agent run, written atomically, readable only by this user. */
export function writeAgentKey(path: string): Buffer {
  const key = randomBytes(KEY_BYTES);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, key.toString('base64url') + '\n', { mode: 0o600 });
  return key;
}

export function readAgentKey(path: string): Buffer | undefined {
  try {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
    return key.length === KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

export function removeAgentKey(path: string): void {
  rmSync(path, { force: true });
}
