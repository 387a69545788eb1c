// May this caller create an org with this name? An org owns the namespace of its name: its owners
// become admin of every repository there, and its members see those repositories as Organization
// images. So a name that already means something is reserved for Bosun administrators:
//  - `library`, the namespace of Docker Official Images;
//  - a Verified Publisher namespace (the server admin's list);
//  - a namespace that already holds repositories, or that grants already name (on the namespace
//    or on a repository in it): someone else's images and access.
// An administrator may still create such an org (a deliberate act, audited on its own); anyone
// else is refused with the reason and whom to ask. Pure: the server counts what the namespace holds.
import { OFFICIAL_NAMESPACE } from './imageReference.js';

export interface NamespaceOccupancy {
  /** The org name asked for (lowercase, as stored). */
  name: string;
  /** Repositories whose first path component is `name`. */
  repositories: number;
  /** Grants on the namespace `name` or on a repository in it. */
  grants: number;
  verifiedPublishers: readonly string[];
}

export type OrgCreationDecision =
  /** `occupied` lists why the name was not free (empty when it was): an admin took over a namespace. */
  { allowed: true; occupied: string[] } | { allowed: false; reason: string };

/** Why `name` is not a free namespace, in words; empty when it is free. */
export function namespaceOccupiedBecause(o: NamespaceOccupancy): string[] {
  const name = o.name.toLowerCase();
  const why: string[] = [];
  if (name === OFFICIAL_NAMESPACE) why.push(`${name} is the namespace of Docker Official Images`);
  if (o.verifiedPublishers.some((p) => p.toLowerCase() === name)) why.push(`${name} is a Verified Publisher namespace`);
  if (o.repositories > 0) why.push(`the ${name} namespace already holds ${o.repositories} ${o.repositories === 1 ? 'repository' : 'repositories'}`);
  if (o.grants > 0) why.push(`${o.grants} ${o.grants === 1 ? 'grant names' : 'grants name'} the ${name} namespace or repositories in it`);
  return why;
}

export function decideOrgCreation(o: NamespaceOccupancy, creatorIsAdmin: boolean): OrgCreationDecision {
  const occupied = namespaceOccupiedBecause(o);
  if (occupied.length === 0 || creatorIsAdmin) return { allowed: true, occupied };
  return {
    allowed: false,
    reason:
      `the org name ${o.name.toLowerCase()} is reserved: ${occupied.join('; ')}. ` +
      `Its owners would own what is already there, so only a Bosun administrator may create this org. ` +
      `Choose another name, or ask a Bosun administrator.`,
  };
}
