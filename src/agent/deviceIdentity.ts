// The device a refresh token is bound to (docs/registry-token-service.md: an agent session is bound to
// user, org session and device). The id is random and not a secret; it lives in the user's Bosun state directory so that
// the server's session list shows one entry per machine and an owner can revoke one device.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../common/atomicFile.js';

export interface DeviceIdentity {
  deviceId: string;
  deviceName: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function loadDeviceIdentity(home: string): DeviceIdentity {
  const path = join(home, 'device.json');
  const deviceName = hostname().slice(0, 100) || 'unknown-host';
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { deviceId?: unknown };
    if (typeof parsed.deviceId === 'string' && UUID.test(parsed.deviceId)) return { deviceId: parsed.deviceId, deviceName };
  } catch {
    // Missing or damaged: a new id only means the server sees a new device.
  }
  const deviceId = randomUUID();
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, JSON.stringify({ deviceId }) + '\n', { mode: 0o600 });
  return { deviceId, deviceName };
}
