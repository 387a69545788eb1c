// The read-only "Organization permissions" view: the session org's Image Access Management settings
// as categories with what each allows (in the spirit of Docker Hub's Org Permissions page for
// members), plus the admin policy and its protection verdict. Pure presentation over plain data.
import type { PolicyView } from '../src/core/agent/agentState.js';
import type { ImageCategoryView, OrgPermissionsView, PolicySourceView } from './ipcContract.js';

export interface ImageAccessSettingsView {
  enabled: boolean;
  allowOfficialImages: boolean;
  allowVerifiedPublishers: boolean;
}

export function imageCategories(org: string, s: ImageAccessSettingsView): ImageCategoryView[] {
  if (!s.enabled) {
    const off = 'Image Access Management is off, so repository permissions alone decide this pull.';
    return [
      { id: 'organization', label: 'Organization images', allowed: true, explanation: `Images in ${org}'s namespaces: ${off}` },
      { id: 'official', label: 'Docker Official Images', allowed: true, explanation: `library/… images: ${off}` },
      { id: 'verified', label: 'Verified Publisher images', allowed: true, explanation: `Images of publishers the server admin verified: ${off}` },
      { id: 'community', label: 'Community images', allowed: true, explanation: `Every other public image: ${off}` },
    ];
  }
  return [
    { id: 'organization', label: 'Organization images', allowed: true, explanation: `Images in ${org}'s namespaces are always allowed.` },
    {
      id: 'official',
      label: 'Docker Official Images',
      allowed: s.allowOfficialImages,
      explanation: s.allowOfficialImages
        ? 'library/… images (e.g. alpine, nginx) may be pulled.'
        : `${org} restricts library/… images; pulls are refused unless a repository is on the org's allowlist.`,
    },
    {
      id: 'verified',
      label: 'Verified Publisher images',
      allowed: s.allowVerifiedPublishers,
      explanation: s.allowVerifiedPublishers
        ? 'Images of publishers the server admin verified may be pulled.'
        : `${org} restricts Verified Publisher images; pulls are refused unless a repository is on the org's allowlist.`,
    },
    {
      id: 'community',
      label: 'Community images',
      allowed: false,
      explanation: `Every other public image is disabled while Image Access Management is on, unless ${org}'s allowlist names the repository. Owners of ${org} are not restricted.`,
    },
  ];
}

export function policyVerdict(policy: PolicyView): string {
  if (policy.state === 'policy-error') return 'The policy cannot be read, so sign-in cannot be satisfied (fail closed). Contact IT.';
  const protection = policy.insecure ? ' Warning: a policy file or folder can be changed by non-admin users; IT should fix its permissions.' : '';
  if (policy.state === 'no-policy') return `No sign-in policy is deployed; nothing is enforced on this machine.${protection}`;
  return `Sign-in to ${policy.allowedOrgs.join(' or ')} is required to pull from your organization's registries.${protection}`;
}

export function orgPermissionsView(input: {
  policy: PolicyView;
  org?: string;
  imageAccess?: ImageAccessSettingsView;
  imageAccessUnavailable?: string;
  sources: PolicySourceView[];
}): OrgPermissionsView {
  const { policy, org } = input;
  return {
    ...(org ? { org } : {}),
    ...(org && input.imageAccess ? { imageAccess: { enabled: input.imageAccess.enabled, categories: imageCategories(org, input.imageAccess) } } : {}),
    ...(input.imageAccessUnavailable ? { imageAccessUnavailable: input.imageAccessUnavailable } : {}),
    policy: { state: policy.state, allowedOrgs: policy.allowedOrgs, errors: policy.errors, insecure: policy.insecure, verdict: policyVerdict(policy) },
    sources: input.sources,
  };
}
