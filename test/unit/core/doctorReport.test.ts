import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildDoctorReport, dockerCliCheck, renderDoctorReport } from '../../../src/core/doctor/doctorReport.js';

test('the report counts statuses and is unhealthy when any check fails', () => {
  const r = buildDoctorReport(
    [
      { id: 'a', title: 'A', status: 'ok', detail: 'fine.' },
      { id: 'b', title: 'B', status: 'fail', detail: 'broken.', fix: 'mend it.' },
      { id: 'c', title: 'C', status: 'warn', detail: 'hmm.' },
    ],
    new Date('2026-01-02T03:04:05Z'),
  );
  assert.deepEqual(r.summary, { ok: 1, warn: 1, fail: 1, info: 0 });
  assert.equal(r.healthy, false);
  const text = renderDoctorReport(r);
  assert.match(text, /✘ B: broken\.\n {4}→ mend it\./);
  assert.match(text, /1 ok, 1 warning, 1 problem\.$/);
});

test('Docker CLI ≤ 28 is explained (anonymous fallback), 29+ is ok, absence is info', () => {
  assert.equal(dockerCliCheck('28.2.2').status, 'info');
  assert.match(dockerCliCheck('28.2.2').detail, /pulls anonymously/);
  assert.equal(dockerCliCheck('29.0.1').status, 'ok');
  assert.equal(dockerCliCheck(undefined).status, 'info');
  assert.equal(dockerCliCheck('garbage').status, 'warn');
});
