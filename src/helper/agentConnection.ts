// The real HelperAgent: the agent socket, and with no agent the hints file the agent keeps and
// Docker's own config (src/agent/helperHandler.ts writes the hints). Node built-ins only, so the
// helper bundle stays small.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { agentSocketPath, helperHintsPath } from '../agent/paths.js';
import { callAgent } from '../agent/socket/client.js';
import { isRegistryAlias, protectedRegistryFor } from '../core/dockerConfig/registryHost.js';
import type { HelperAgent } from './handle.js';

const GENERIC_EXPLANATION = 'sign in to your organization with Bosun: open Bosun from the tray or run `bosun login`';

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
function knownWithoutAgent(serverURL: string): { protected: boolean; explanation: string } {
  const hints = readJson(helperHintsPath()) as { registries?: unknown; explanation?: unknown } | undefined;
  const hinted =
    Array.isArray(hints?.registries) &&
    protectedRegistryFor(
      serverURL,
      hints.registries.filter((r): r is string => typeof r === 'string'),
    ) !== undefined;
  const configDir = process.env.DOCKER_CONFIG?.trim() || join(homedir(), '.docker');
  const config = readJson(join(configDir, 'config.json')) as { credHelpers?: Record<string, unknown> } | undefined;
  const helpers = config?.credHelpers && typeof config.credHelpers === 'object' ? config.credHelpers : {};
  // Any spelling of this registry routed to Bosun (src/core/dockerConfig/registryHost.ts) counts.
  const routed = Object.entries(helpers).some(([key, helper]) => helper === 'bosun' && isRegistryAlias(key, serverURL));
  const explanation = typeof hints?.explanation === 'string' && hints.explanation ? hints.explanation : GENERIC_EXPLANATION;
  return { protected: hinted || routed, explanation };
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

/** This user's agent, found where paths.ts puts its socket and hints. */
export const runningAgent: HelperAgent = {
  ask: (method, params) => callAgent(agentSocketPath(), method, params, { timeoutMs: 10_000 }),
  knownWithoutAgent,
  version,
};
