// The token service's `bosun server` subcommands, wired to the server's store (the applied
// `registries` say which service each registry host is).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store } from '../store/store.js';
import { registryConfigCommand, rotateSigningKeyCommand, type RegistryServiceLookup } from './commands.js';

const serviceFromStore: RegistryServiceLookup = async (dataDir, registry) => {
  const dir = resolve(dataDir);
  if (!existsSync(join(dir, 'bosun-server.db'))) return { known: [], noServerData: true };
  const store = Store.open(dir);
  try {
    const known = store.settings.registries();
    return { known: known.map((r) => r.host), ...(store.settings.serviceOf(registry) ? { service: store.settings.serviceOf(registry) as string } : {}) };
  } finally {
    store.close();
  }
};

export const runRegistryConfig = (argv: string[]): Promise<number> => registryConfigCommand(argv, serviceFromStore);
export const runRotateSigningKey = (argv: string[]): Promise<number> => rotateSigningKeyCommand(argv);
