// electron-builder configuration for the Bosun tray app. Run from the repository root after
// `npm run build` and `node scripts/build-helper-sea.mjs`:
//   npx electron-builder --config build/electron-builder.config.cjs --mac|--win|--linux
// Signing and notarization happen only when their environment variables are set (see build/README.md);
// without them every target still builds, unsigned.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const env = process.env;

/** macOS signing: CSC_LINK (a .p12, base64 or path) or CSC_NAME (a keychain identity). */
const macSigning = Boolean(env.CSC_LINK || env.CSC_NAME);
/** Notarization needs signing plus one of the credential sets @electron/notarize accepts. */
const macNotarizing =
  macSigning &&
  Boolean((env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) || (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID));
/** Windows: Azure Trusted Signing when its account is configured; WIN_CSC_LINK is read by electron-builder itself. */
const azureSigning = Boolean(env.AZURE_TRUSTED_SIGNING_ENDPOINT && env.AZURE_CODE_SIGNING_ACCOUNT && env.AZURE_CERT_PROFILE && env.AZURE_PUBLISHER_NAME);

/**
 * npm ci never downloads Electron here (allowScripts denies its install script); CI runs
 * `node node_modules/electron/install.js` first. Use that unpacked binary when it exists instead
 * of letting electron-builder download a second copy; ELECTRON_DIST overrides.
 */
const unpackedElectron = env.ELECTRON_DIST || join(root, 'node_modules/electron/dist');

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'dev.bosun.agent',
  productName: 'Bosun',
  copyright: 'Copyright © Bosun contributors',
  directories: { output: 'out/installers', buildResources: 'build' },
  ...(existsSync(unpackedElectron) ? { electronDist: unpackedElectron } : {}),
  // The app is loaded only from app.asar (fuse OnlyLoadAppFromAsar in afterPack.cjs); native
  // modules (keytar, better-sqlite3) must sit outside it to be dlopen()ed.
  asar: true,
  asarUnpack: ['**/*.node'],
  // Only what the app loads: the esbuild bundles (self-contained, packaged flavor), the pages, the
  // tray icons, and the schemas packageRoot() finds beside package.json. Not the tsc output in
  // dist/src: it is development flavor and nothing in the app imports it.
  files: ['package.json', 'dist/electron/main.cjs', 'dist/electron/preload.cjs', 'dist/electron/assets/**', 'dist/ui/**', '!**/*.map', 'schemas/*.schema.json'],
  // The credential helper and the `bosun` command as single executables, outside the asar so docker
  // and users can exec them; the installers put resources/bin on PATH.
  extraResources: [
    { from: 'dist/helper/sea', to: 'bin', filter: ['docker-credential-bosun', 'docker-credential-bosun.exe'] },
    { from: 'dist/cli/sea', to: 'bin', filter: ['bosun', 'bosun.exe'] },
  ],
  beforePack: './build/beforePack.cjs',
  afterPack: './build/afterPack.cjs',
  afterAllArtifactBuild: './build/notarizeInstallers.cjs',

  mac: {
    category: 'public.app-category.developer-tools',
    target: [
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'pkg', arch: ['arm64', 'x64'] },
    ],
    // A tray app: no Dock icon.
    extendInfo: { LSUIElement: true },
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // The SEAs in Contents/Resources/bin are Mach-Os: @electron/osx-sign signs every Mach-O
    // in the bundle, with the same entitlements.
    ...(macSigning ? {} : { identity: null }),
    notarize: macNotarizing,
  },
  dmg: { artifactName: '${productName}-${version}-${arch}.${ext}' },
  pkg: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
    installLocation: '/Applications',
    // postinstall: /usr/local/bin symlinks for the helper and `bosun`, LaunchAgent for start at login,
    // registry.json from an install-time allowed-org option. See build/macos/pkg-scripts/postinstall.
    scripts: 'macos/pkg-scripts',
    isRelocatable: false,
    mustClose: ['dev.bosun.agent'],
  },

  win: {
    target: [
      { target: 'nsis', arch: ['x64', 'arm64'] },
      { target: 'msiWrapped', arch: ['x64'] },
    ],
    // The helper and `bosun` are executables too: sign them with the app.
    signExts: ['.exe'],
    // The installer's PowerShell half (PATH, registry.json); see build/windows/installer.nsh.
    extraResources: [{ from: 'build/windows/install-helpers.ps1', to: 'windows/install-helpers.ps1' }],
    ...(azureSigning
      ? {
          azureSignOptions: {
            endpoint: env.AZURE_TRUSTED_SIGNING_ENDPOINT,
            codeSigningAccountName: env.AZURE_CODE_SIGNING_ACCOUNT,
            certificateProfileName: env.AZURE_CERT_PROFILE,
            publisherName: env.AZURE_PUBLISHER_NAME,
          },
        }
      : {}),
  },
  nsis: {
    artifactName: '${productName}-Setup-${version}-${arch}.${ext}',
    // Per machine: the helper goes on the machine PATH and registry.json into ProgramData, both
    // admin-only, like Docker Desktop's installer.
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: false,
    include: 'build/windows/installer.nsh',
    deleteAppDataOnUninstall: false,
  },
  // MSI for Intune/GPO: wraps the NSIS installer and passes the ALLOWEDORG property through as
  // --allowed-org (msiexec /i Bosun.msi ALLOWEDORG=mycompany /qn). MSI formats [ALLOWEDORG]
  // when it schedules the deferred action, so a command-line property reaches the NSIS run.
  msiWrapped: {
    artifactName: '${productName}-${version}-${arch}.${ext}',
    perMachine: true,
    impersonate: false,
    wrappedInstallerArgs: '/S --allowed-org="[ALLOWEDORG]"',
    upgradeCode: '5f0b54a7-3a5e-4b8e-9b0d-0f2b6f0c1d11',
  },

  linux: {
    // "bosun" is the CLI's name; the tray app gets its own.
    executableName: 'bosun-tray',
    category: 'Development',
    maintainer: 'Bosun <bosun@example.com>',
    synopsis: 'Keeps container pulls inside the organization policy',
    target: [
      { target: 'deb', arch: ['x64'] },
      { target: 'AppImage', arch: ['x64'] },
    ],
    // The deb's postinst calls it to write registry.json from BOSUN_ALLOWED_ORGS.
    extraResources: [{ from: 'build/macos/pkg-scripts/write-registry-json.sh', to: 'write-registry-json.sh' }],
  },
  deb: {
    artifactName: '${name}_${version}_${arch}.${ext}',
    // Adds /usr/bin/docker-credential-bosun, /usr/bin/bosun, /etc/xdg/autostart/bosun.desktop and, when
    // BOSUN_ALLOWED_ORGS is set at install time, registry.json. See build/linux/.
    afterInstall: 'build/linux/after-install.sh',
    afterRemove: 'build/linux/after-remove.sh',
    depends: ['libsecret-1-0', 'libnss3', 'libgtk-3-0', 'libxss1', 'libasound2 | libasound2t64'],
  },
  appImage: { artifactName: '${productName}-${version}-${arch}.${ext}' },
};

module.exports = config;
