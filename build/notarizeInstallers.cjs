// afterAllArtifactBuild: notarize and staple the macOS installers (dmg, pkg). electron-builder
// notarizes the .app itself (mac.notarize); a pkg or dmg downloaded by a user is checked by
// Gatekeeper too, so it needs its own ticket. Runs only when App Store Connect API credentials are
// set (APPLE_API_KEY path, APPLE_API_KEY_ID, APPLE_API_ISSUER) and the build was signed; otherwise it
// does nothing, so unsigned builds still work.
'use strict';
const { execFileSync } = require('node:child_process');

function notarizationCredentials(env = process.env) {
  if (!(env.CSC_LINK || env.CSC_NAME)) return undefined;
  if (!(env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER)) return undefined;
  return ['--key', env.APPLE_API_KEY, '--key-id', env.APPLE_API_KEY_ID, '--issuer', env.APPLE_API_ISSUER];
}

async function notarizeInstallers(result) {
  const credentials = notarizationCredentials();
  const installers = result.artifactPaths.filter((p) => /\.(dmg|pkg)$/.test(p));
  if (process.platform !== 'darwin' || !credentials || installers.length === 0) return [];
  for (const file of installers) {
    console.log(`  • notarizing  file=${file}`);
    execFileSync('xcrun', ['notarytool', 'submit', file, '--wait', ...credentials], { stdio: 'inherit' });
    execFileSync('xcrun', ['stapler', 'staple', file], { stdio: 'inherit' });
  }
  return [];
}

module.exports = notarizeInstallers;
module.exports.default = notarizeInstallers;
module.exports.notarizationCredentials = notarizationCredentials;
