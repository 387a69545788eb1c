// Store → NamespaceOccupancy: what a namespace already holds, for the org-creation decision in
// src/core/access/namespaceClaim.ts. Every path that creates an org (the admin API, `apply`) asks here.
import type { NamespaceOccupancy } from '../core/access/namespaceClaim.js';
import type { Store } from './store/store.js';

/** The audit action of an administrator creating an org over a namespace that was not free. */
export const ORG_CREATE_OVER_NAMESPACE = 'org.create-over-namespace';

export function namespaceOccupancy(store: Store, name: string): NamespaceOccupancy {
  const ns = name.toLowerCase();
  return {
    name: ns,
    repositories: store.repositories.countInNamespace(ns),
    grants: store.grants.countInNamespace(ns),
    verifiedPublishers: store.settings.get().verifiedPublishers,
  };
}
