// A macOS configuration profile carrying Docker's allowedOrgs policy (README's source 2):
// payload type com.docker.config, key allowedOrgs as one string with organizations separated by ";".
import { build as buildPlist } from 'plist';

export interface MobileconfigOptions {
  /** UUID of the outer profile. MDM servers replace a profile with the same PayloadIdentifier. */
  profileUuid: string;
  /** UUID of the com.docker.config payload. */
  payloadUuid: string;
  /** Shown in System Settings › Profiles as the issuer. */
  organization?: string;
}

/** Reverse-DNS identifier of the profile; stable, so redeploying replaces instead of adding. */
export const PROFILE_IDENTIFIER = 'dev.bosun.policy.allowedorgs';
export const DOCKER_PAYLOAD_TYPE = 'com.docker.config';

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;

/** The profile as an XML property list (what Jamf, Intune and Kandji upload as `.mobileconfig`). */
export function renderMobileconfig(allowedOrgs: readonly string[], options: MobileconfigOptions): string {
  for (const [name, value] of [
    ['profileUuid', options.profileUuid],
    ['payloadUuid', options.payloadUuid],
  ] as const) {
    if (!UUID.test(value)) throw new Error(`${name} must be a UUID, got "${value}"`);
  }
  const organization = options.organization ?? 'Bosun';
  const dockerPayload = {
    PayloadType: DOCKER_PAYLOAD_TYPE,
    PayloadVersion: 1,
    PayloadIdentifier: `${PROFILE_IDENTIFIER}.${DOCKER_PAYLOAD_TYPE}`,
    PayloadUUID: options.payloadUuid.toUpperCase(),
    PayloadDisplayName: 'Docker allowed organizations',
    // Docker Desktop documents this key as a single ";"-separated string, not an array.
    allowedOrgs: allowedOrgs.join(';'),
  };
  const profile = {
    PayloadContent: [dockerPayload],
    PayloadDisplayName: 'Docker sign-in enforcement (allowed organizations)',
    PayloadDescription: `Developers must sign in to one of: ${allowedOrgs.join(', ')}. Read by Bosun and Docker Desktop.`,
    PayloadIdentifier: PROFILE_IDENTIFIER,
    PayloadOrganization: organization,
    // System scope: managed preferences under /Library/Managed Preferences, which users cannot edit.
    PayloadScope: 'System',
    PayloadRemovalDisallowed: true,
    PayloadType: 'Configuration',
    PayloadUUID: options.profileUuid.toUpperCase(),
    PayloadVersion: 1,
  };
  return buildPlist(profile) + '\n';
}
