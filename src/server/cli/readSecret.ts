// Secrets for the CLI come from stdin or a file, never from argv or the environment.
import { readFileSync } from 'node:fs';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The first line, without its line ending (a trailing newline from `echo` is not part of the password). */
export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

export function readSecretFile(path: string): string {
  return firstLine(readFileSync(path, 'utf8'));
}
