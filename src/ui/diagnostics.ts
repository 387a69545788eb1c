// The Diagnostics window: the `bosun doctor` report, with "Copy for IT".
import type { DiagnosticsView } from '../../electron/ipcContract.js';
import { bridge, byId, el, errorText, wireClose } from './common.js';

const MARK = { ok: 'OK', warn: 'Warning', fail: 'Problem', info: 'Info' } as const;

function render(v: DiagnosticsView): void {
  const s = v.report.summary;
  byId('summary').textContent =
    `${v.report.healthy ? 'No problems found' : `${s.fail} problem${s.fail === 1 ? '' : 's'} found`} — ${s.ok} ok, ${s.warn} warning${s.warn === 1 ? '' : 's'}.`;
  byId('checks').replaceChildren(
    ...v.report.checks.map((c) => {
      const li = el('li');
      li.dataset.check = c.id;
      li.append(el('strong', `${MARK[c.status]}: `, `status-${c.status}`), el('span', `${c.title} — ${c.detail}`));
      if (c.fix) li.append(el('p', `What to do: ${c.fix}`, 'muted'));
      return li;
    }),
  );
  byId('report-text').textContent = v.text;
}

function load(): void {
  bridge()
    .diagnostics.get()
    .then(render, (err: unknown) => (byId('summary').textContent = errorText(err)));
}
byId('copy').addEventListener('click', () => {
  bridge()
    .diagnostics.copyForIt()
    .then(
      () => (byId('copy-result').textContent = 'Copied. Paste it into your message to IT.'),
      (err: unknown) => (byId('copy-result').textContent = errorText(err)),
    );
});
byId('open-logs').addEventListener('click', () => {
  bridge()
    .app.openLogs()
    .catch((err: unknown) => (byId('copy-result').textContent = errorText(err)));
});
byId('rerun').addEventListener('click', load);
wireClose();
load();
