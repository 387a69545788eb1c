/**
 * Whether this is a packaged (installed) build. Packaging bundles with esbuild and defines
 * `__BOSUN_PACKAGED__` as `true`; every other way of running (tsx, `npm run build`, tests) is a
 * development build. Test seams such as BOSUN_POLICY_ROOT consult this and are ignored in a packaged
 * build, so no environment variable can weaken enforcement on a managed workstation.
 */
declare const __BOSUN_PACKAGED__: boolean | undefined;

export const isPackagedBuild: boolean = typeof __BOSUN_PACKAGED__ !== 'undefined' && __BOSUN_PACKAGED__ === true;
