// The read-only Organization permissions view: the session org's Image Access Management (what each
// image category allows) and this machine's policy sources with their protection verdict.
import type { OrgPermissionsView } from '../../electron/ipcContract.js';
import { bridge, byId, el, errorText, wireClose } from './common.js';

function render(v: OrgPermissionsView): void {
  const table = byId<HTMLTableElement>('categories');
  const body = table.tBodies[0]!;
  body.replaceChildren();
  if (v.imageAccess && v.org) {
    byId('iam-summary').textContent = v.imageAccess.enabled
      ? `Image Access Management is on for ${v.org}.`
      : `Image Access Management is off for ${v.org}: repository permissions alone decide pulls.`;
    for (const c of v.imageAccess.categories) {
      const row = el('tr');
      const th = el('th', c.label);
      th.scope = 'row';
      row.append(th, el('td', c.allowed ? 'Allowed' : 'Restricted', c.allowed ? 'allowed' : 'refused'), el('td', c.explanation));
      body.append(row);
    }
    table.hidden = false;
  } else {
    byId('iam-summary').textContent = v.imageAccessUnavailable ?? 'Not available.';
    table.hidden = true;
  }
  byId('policy-verdict').textContent = v.policy.verdict;
  byId('policy-orgs').textContent = v.policy.allowedOrgs.length ? `Allowed organizations: ${v.policy.allowedOrgs.join(', ')}` : '';
  byId('policy-errors').replaceChildren(...v.policy.errors.map((e) => el('li', e)));
  const sources = byId<HTMLTableElement>('sources').tBodies[0]!;
  sources.replaceChildren(
    ...v.sources.map((s) => {
      const row = el('tr');
      row.append(el('td', s.location), el('td', s.found ? (s.protected === false ? 'Yes — not admin-only' : 'Yes') : 'No'), el('td', s.verdict));
      return row;
    }),
  );
}

function load(): void {
  bridge()
    .permissions.get()
    .then(render, (err: unknown) => (byId('iam-summary').textContent = errorText(err)));
}
byId('refresh').addEventListener('click', load);
wireClose();
load();
