// Desktop notifications for what the user must know even with every window closed: sign-in
// required, signed out (membership or token revoked), policy changed, tampering repaired, static
// credentials found in Docker's config, offline grace starting and ending. The core says *what*
// happened; this maps its topic to a title.
import type { AgentCore } from '../src/agent/core.js';

export interface NotifierLike {
  show(title: string, body: string, onClick?: () => void): void;
}

const TITLES: Record<string, string> = {
  'sign-in-required': 'Sign-in required',
  'signed-out': 'You were signed out',
  'policy-changed': 'Your organization’s policy changed',
  'tampering-repaired': 'Docker settings repaired',
  'static-credentials': 'Credentials in Docker settings',
  'offline-grace': 'Bosun is offline',
  'grace-ended': 'Offline grace period ended',
};

/** Topics whose notification opens the sign-in window when clicked. */
const OPENS_SIGN_IN = new Set(['sign-in-required', 'signed-out', 'grace-ended']);

export function notificationTitle(topic: string): string {
  return TITLES[topic] ?? 'Bosun';
}

export function wireNotifications(core: Pick<AgentCore, 'bus'>, notifier: NotifierLike, openSignIn: () => void): () => void {
  return core.bus.on('notification', ({ topic, message }) => {
    notifier.show(notificationTitle(topic), message, OPENS_SIGN_IN.has(topic) ? openSignIn : undefined);
  });
}
