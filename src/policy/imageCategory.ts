// Which Image Access Management category a repository on the org's registry falls in
// (design.md, "Image Access Management"). The category depends only on the repository's
// namespace (its first path component), never on whether the repository exists, so a decision
// based on it reveals nothing about private repositories.
import type { ImageCategory } from './accessFacts.js';
import { OFFICIAL_NAMESPACE } from './imageReference.js';

export interface CategoryContext {
  /** The orgs whose images count as organization images (the session's org, or every org of the user). */
  organizations: readonly string[];
  /** Verified Publisher namespaces, kept by the server admin. */
  verifiedPublishers: readonly string[];
}

/** The namespace of a repository path: its first component ("alpine" is its own namespace). */
export function repositoryNamespace(repository: string): string {
  const slash = repository.indexOf('/');
  return slash < 0 ? repository : repository.slice(0, slash);
}

/**
 * organization (namespace is one of `organizations`) > official (`library/…`) > verified
 * (namespace is a Verified Publisher) > community. Organization is checked first so an org's own
 * images are always its own, even if the admin also listed the org as a Verified Publisher.
 * Names compare case-insensitively (org names are lowercase by the grammar; lists may not be).
 */
export function classifyRepository(repository: string, context: CategoryContext): ImageCategory {
  const namespace = repositoryNamespace(repository).toLowerCase();
  const has = (list: readonly string[]) => list.some((n) => n.toLowerCase() === namespace);
  if (has(context.organizations)) return 'organization';
  if (namespace === OFFICIAL_NAMESPACE) return 'official';
  if (has(context.verifiedPublishers)) return 'verified';
  return 'community';
}

/** How denial messages name a category: "is a Community image". */
export function categoryLabel(category: ImageCategory): string {
  switch (category) {
    case 'organization':
      return 'an Organization image';
    case 'official':
      return 'a Docker Official Image';
    case 'verified':
      return 'a Verified Publisher image';
    case 'community':
      return 'a Community image';
  }
}
