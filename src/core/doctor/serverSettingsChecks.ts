// `bosun doctor`'s reading of the server's enforcement settings, from its discovery document
// (`GET /.well-known/bosun`): whether a signed-out developer can pull what their org's Image
// Access Management refuses. Pure; src/agent/doctor/ fetches the document.
import type { DoctorCheck } from './doctorReport.js';

/** The discovery document's fields this check reads; older servers send neither. */
export interface DiscoveredServerSettings {
  anonymous_pull?: unknown;
  anonymous_pull_image_access?: unknown;
}

export function anonymousPullDoctorCheck(server: string, d: DiscoveredServerSettings): DoctorCheck {
  const id = 'server-anonymous-pull';
  const title = 'Anonymous pulls';
  if (d.anonymous_pull === false) return { id, title, status: 'ok', detail: `${server} requires sign-in for every pull.` };
  if (d.anonymous_pull !== true) return { id, title, status: 'info', detail: `${server} does not say whether it allows anonymous pulls (an older server).` };
  if (d.anonymous_pull_image_access === 'strictest') {
    return { id, title, status: 'ok', detail: `${server} allows anonymous pulls of public images, within every organization's Image Access Management.` };
  }
  return {
    id,
    title,
    status: 'warn',
    detail: `${server} lets anonymous callers pull every public image whatever an organization's Image Access Management says, so pulling signed out skips your organization's image rules.`,
    fix: 'Tell the Bosun administrator: set anonymousPullImageAccess: strictest (the default) or anonymousPull: false on the server.',
  };
}
