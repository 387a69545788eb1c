// Which Image Access Management category a repository on the org's registry falls in
// (docs/permission-model.md, "Which Image Access Management applies"). The category depends only on
// the repository's namespace (its first path component), never on whether the repository exists, so
// a decision based on it reveals nothing about private repositories.
import type { ImageCategory } from './accessFacts.js';
import { OFFICIAL_NAMESPACE } from './imageReference.js';

export interface CategoryContext {
  /** The orgs whose images count as organization images (every org of the user). */
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
 * official (`library/…`) > organization (namespace is one of `organizations`) > verified
 * (namespace is a Verified Publisher) > community. Official comes first so `library/` is always
 * Docker Official Images, whoever owns an org named `library`: owning a namespace must never turn
 * images an org restricts into its members' own. Organization comes before verified so an org's
 * own images are its own, even if the admin also listed the org as a Verified Publisher.
 * Names compare case-insensitively (org names are lowercase by the grammar; lists may not be).
 */
export function classifyRepository(repository: string, context: CategoryContext): ImageCategory {
  const namespace = repositoryNamespace(repository).toLowerCase();
  const has = (list: readonly string[]) => list.some((n) => n.toLowerCase() === namespace);
  if (namespace === OFFICIAL_NAMESPACE) return 'official';
  if (has(context.organizations)) return 'organization';
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
