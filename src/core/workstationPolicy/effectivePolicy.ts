// The policy the agent enforces is the allowedOrgs policy *and* Bosun's admin settings: an enforced
// policy without a usable settings file cannot be satisfied (the agent would not know which server to
// sign in to), so it fails closed as a policy error that tells the user to contact IT. Pure.
import type { PolicyView } from '../agent/agentState.js';

export interface SettingsState {
  status: 'absent' | 'valid' | 'invalid';
  path: string;
  errors: readonly { path: string; message: string }[];
}

export function effectivePolicyView(policy: PolicyView, settings: SettingsState): PolicyView {
  if (policy.state !== 'enforced' || settings.status === 'valid') return policy;
  const why =
    settings.status === 'absent'
      ? `Bosun's settings file ${settings.path} is missing, so the agent does not know which server to sign in to. IT must deploy it (see docs/it-deployment.md).`
      : `Bosun's settings file ${settings.path} is invalid: ${settings.errors.map((e) => `${e.path || '(file)'} ${e.message}`).join('; ')}. IT must fix it.`;
  return { ...policy, state: 'policy-error', errors: [...policy.errors, why] };
}
