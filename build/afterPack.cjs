// afterPack: flip Electron's fuses in the packed binary, before electron-builder signs it.
// Without this, ELECTRON_RUN_AS_NODE=1 or NODE_OPTIONS=--require=… turns the signed app into a
// plain node that skips the agent, and --inspect lets anyone attach a debugger to it.
'use strict';
const { join } = require('node:path');
const { flipFuses, FuseVersion, FuseV1Options } = require('@electron/fuses');

/** The fuse wire for a platform ('darwin', 'win32', 'linux'). Exported for the unit test. */
function fuseConfig(platform) {
  return {
    version: FuseVersion.V1,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // Cookies (the renderer's session) encrypted with the OS keychain key.
    [FuseV1Options.EnableCookieEncryption]: true,
    // asar integrity: electron-builder writes the asar hash into Info.plist on macOS; elsewhere the
    // hash resource is not written by this builder version, and the fuse would refuse to start.
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'darwin',
    // Flipping fuses edits the Mach-O; an unsigned arm64 binary then needs a fresh ad hoc
    // signature or macOS kills it. A real signature replaces it when signing is configured.
    resetAdHocDarwinSignature: platform === 'darwin',
  };
}

/** The Electron executable inside the packed app directory. */
function electronBinary(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName);
  }
}

async function afterPack(context) {
  const platform = context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName;
  const binary = electronBinary(context);
  await flipFuses(binary, fuseConfig(platform));
  console.log(`  • fuses flipped  RunAsNode=off NODE_OPTIONS=off inspect=off onlyLoadAppFromAsar=on  file=${binary}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinary = electronBinary;
