#!/usr/bin/env node
// docker-credential-bosun: the Docker credential-helper protocol (design.md, "Helper protocol facts"),
// answered by the running Bosun agent over its socket. It holds no secrets and imports only Node
// built-ins and a few small agent modules, so its bundle starts about as fast as `node -e 0`.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { agentSocketPath, helperHintsPath } from '../agent/paths.js';
import { isRegistryAlias, protectedRegistryFor } from '../core/dockerConfig/registryHost.js';
import { AgentCallError, AgentUnavailableError, callAgent } from '../agent/socket/client.js';
import type { HelperCredentials } from '../agent/socket/protocol.js';

const NOT_FOUND = 'credentials not found in native keychain';
const GENERIC_EXPLANATION = 'sign in to your organization with Bosun: open Bosun from the tray or run `bosun login`';

class HelperFailure extends Error {
  /** `stdoutMessage` goes to stdout (the protocol's error channel); `explanation` to stderr, for the user. */
  constructor(readonly stdoutMessage: string, readonly explanation?: string) {
    super(stdoutMessage);
  }
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (data += d));
    process.stdin.on('end', () => resolve(data));
    process.stdin.on('error', reject);
  });
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * With no agent to ask: a registry is Bosun's when the agent said so last time (hints file) or
 * when Docker's config routes it to this helper, which the agent only does for protected registries.
 */
function protectedWithoutAgent(serverURL: string): { protected: boolean; explanation: string } {
  const hints = readJson(helperHintsPath()) as { registries?: unknown; explanation?: unknown } | undefined;
  const hinted = Array.isArray(hints?.registries) && protectedRegistryFor(serverURL, hints.registries.filter((r): r is string => typeof r === 'string')) !== undefined;
  const configDir = process.env.DOCKER_CONFIG?.trim() || join(homedir(), '.docker');
  const config = readJson(join(configDir, 'config.json')) as { credHelpers?: Record<string, unknown> } | undefined;
  const helpers = config?.credHelpers && typeof config.credHelpers === 'object' ? config.credHelpers : {};
  // Any spelling of this registry routed to Bosun (src/core/dockerConfig/registryHost.ts) counts.
  const routed = Object.entries(helpers).some(([key, helper]) => helper === 'bosun' && isRegistryAlias(key, serverURL));
  const explanation = typeof hints?.explanation === 'string' && hints.explanation ? hints.explanation : GENERIC_EXPLANATION;
  return { protected: hinted || routed, explanation };
}

async function ask<R>(method: string, params?: unknown): Promise<R> {
  return callAgent<R>(agentSocketPath(), method, params, { timeoutMs: 10_000 });
}

/** The agent's error as the protocol wants it: the sentinel for not-found, the explanation otherwise. */
function failureFrom(err: unknown, serverURL: string): HelperFailure {
  if (err instanceof AgentCallError) {
    if (err.code === 'not-found') return new HelperFailure(NOT_FOUND);
    return new HelperFailure(err.message, err.message);
  }
  if (err instanceof AgentUnavailableError) {
    const known = protectedWithoutAgent(serverURL);
    if (!known.protected) return new HelperFailure(NOT_FOUND);
    const why = `${known.explanation} (the Bosun agent is not running)`;
    return new HelperFailure(why, why);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new HelperFailure(message, message);
}

// Defined by scripts/build.mjs from package.json; absent only when run from source (tests via tsx).
declare const __BOSUN_VERSION__: string | undefined;

function version(): string {
  const baked = typeof __BOSUN_VERSION__ === 'string' ? __BOSUN_VERSION__ : undefined;
  // From source: dist/… or src/helper → package.json two levels up.
  const self = typeof __filename === 'string' ? __filename : (process.argv[1] ?? '.');
  const pkg = baked ? undefined : (readJson(join(dirname(self), '..', '..', 'package.json')) as { version?: string } | undefined);
  return `docker-credential-bosun (Bosun) ${baked ?? pkg?.version ?? 'unknown'}`;
}

async function main(action: string | undefined): Promise<string> {
  switch (action) {
    case 'get': {
      const serverURL = (await readStdin()).trim();
      if (!serverURL) throw new HelperFailure('no server URL on stdin');
      try {
        return JSON.stringify(await ask<HelperCredentials>('helper.get', { serverURL }));
      } catch (err) {
        throw failureFrom(err, serverURL);
      }
    }
    case 'store': {
      let input: { ServerURL?: unknown; Username?: unknown; Secret?: unknown };
      try {
        input = JSON.parse(await readStdin()) as typeof input;
      } catch {
        throw new HelperFailure('store expects {"ServerURL","Username","Secret"} as JSON on stdin');
      }
      const { ServerURL, Username, Secret } = input ?? {};
      if (typeof ServerURL !== 'string' || typeof Username !== 'string' || typeof Secret !== 'string') {
        throw new HelperFailure('store expects {"ServerURL","Username","Secret"} as JSON on stdin');
      }
      try {
        await ask('helper.store', { serverURL: ServerURL, username: Username, secret: Secret });
        return '';
      } catch (err) {
        const f = failureFrom(err, ServerURL);
        // A credential Bosun would take cannot be checked while the agent is down: refuse, in words.
        if (err instanceof AgentUnavailableError && f.stdoutMessage === NOT_FOUND) {
          throw new HelperFailure('the Bosun agent is not running; start Bosun, then run docker login again');
        }
        throw f;
      }
    }
    case 'erase': {
      const serverURL = (await readStdin()).trim();
      try {
        await ask('helper.erase', { serverURL });
        return '';
      } catch (err) {
        throw failureFrom(err, serverURL);
      }
    }
    case 'list':
      try {
        return JSON.stringify(await ask<Record<string, string>>('helper.list', {}));
      } catch (err) {
        if (err instanceof AgentUnavailableError) return '{}';
        throw failureFrom(err, '');
      }
    case 'version':
      return version();
    default:
      throw new HelperFailure(`Usage: docker-credential-bosun <store|get|erase|list|version>`);
  }
}

main(process.argv[2]).then(
  (out) => {
    if (out) process.stdout.write(out + '\n');
  },
  (err: unknown) => {
    const f = err instanceof HelperFailure ? err : new HelperFailure(err instanceof Error ? err.message : String(err));
    // Protocol: the error goes to stdout with exit 1; stderr is what the user reads.
    process.stdout.write(f.stdoutMessage + '\n');
    if (f.explanation) process.stderr.write(f.explanation + '\n');
    process.exitCode = 1;
  },
);
