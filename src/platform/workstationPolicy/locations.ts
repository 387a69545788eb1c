// Where the admin-only policy sources live on each OS (docs/it-deployment.md, "What to deploy"), and the
// BOSUN_POLICY_ROOT test seam. The seam stands in for "/" (or C:\) so tests never touch the host's
// real policy; a packaged build ignores it, so no environment variable can move enforcement to a
// user-writable directory on a managed machine.
import { isAbsolute, posix, win32 } from 'node:path';
import { isPackagedBuild } from '../../common/buildFlavor.js';
import type { RootInfo } from '../../core/workstationPolicy/policyReport.js';

export const POLICY_ROOT_ENV = 'BOSUN_POLICY_ROOT';
export const WINDOWS_POLICY_KEY = 'HKLM\\SOFTWARE\\Policies\\Docker\\Docker Desktop';

export interface LocationOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Treat this as a packaged build (tests pass true to prove the seam is ignored); a packaged build always is one. */
  packaged?: boolean;
}

export interface PolicyLocations {
  platform: NodeJS.Platform;
  root: RootInfo;
  /** Registry key holding value allowedOrgs (Windows only; not consulted while the seam is active). */
  windowsRegistryKey?: string;
  /** Managed preferences written by a configuration profile with payload com.docker.config (macOS). */
  macProfile?: string;
  /** Docker Desktop's admin desktop.plist (macOS). */
  macDesktopPlist?: string;
  registryJson: string;
  /** Bosun's own admin settings. */
  adminSettings: string;
}

export function resolvePolicyRoot(opts: LocationOptions = {}): RootInfo {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  // The option can only make this stricter: code cannot switch the seam back on in a packaged build.
  const packaged = isPackagedBuild || opts.packaged === true;
  const real = platform === 'win32' ? 'C:\\' : '/';
  const asked = env[POLICY_ROOT_ENV];
  if (!asked) return { path: real, seam: 'inactive' };
  if (packaged) {
    return {
      path: real,
      seam: 'ignored',
      note: `${POLICY_ROOT_ENV}=${asked} is ignored: this is a packaged build, which reads only the real admin locations`,
    };
  }
  if (!isAbsolute(asked)) {
    return { path: real, seam: 'ignored', note: `${POLICY_ROOT_ENV}=${asked} is ignored because it is not an absolute path` };
  }
  return {
    path: asked,
    seam: 'active',
    note: `development build: policy locations are read under ${POLICY_ROOT_ENV}=${asked} instead of ${real}`,
  };
}

export function policyLocations(opts: LocationOptions = {}): PolicyLocations {
  const platform = opts.platform ?? process.platform;
  const root = resolvePolicyRoot(opts);
  const under = (...parts: string[]) => (platform === 'win32' ? win32.join(root.path, ...parts) : posix.join(root.path, ...parts));
  if (platform === 'win32') {
    return {
      platform,
      root,
      ...(root.seam === 'active' ? {} : { windowsRegistryKey: WINDOWS_POLICY_KEY }),
      registryJson: under('ProgramData', 'DockerDesktop', 'registry.json'),
      adminSettings: under('ProgramData', 'Bosun', 'settings.json'),
    };
  }
  if (platform === 'darwin') {
    return {
      platform,
      root,
      macProfile: under('Library', 'Managed Preferences', 'com.docker.config.plist'),
      macDesktopPlist: under('Library', 'Application Support', 'com.docker.docker', 'desktop.plist'),
      registryJson: under('Library', 'Application Support', 'com.docker.docker', 'registry.json'),
      adminSettings: under('Library', 'Application Support', 'Bosun', 'settings.json'),
    };
  }
  return {
    platform,
    root,
    registryJson: under('usr', 'share', 'docker-desktop', 'registry', 'registry.json'),
    adminSettings: under('etc', 'bosun', 'settings.json'),
  };
}
