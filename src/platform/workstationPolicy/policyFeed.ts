// openPolicyFeed(): the agent's PolicyPort over the admin policy sources, kept current by a watcher.
import type { PolicyPort } from '../../agent/ports.js';
import type { PolicyView } from '../../core/agent/agentState.js';
import { toPolicyView, type PolicyReport } from '../../core/workstationPolicy/policyReport.js';
import { readAdminSettings, type AdminSettingsReport, type ReadAdminSettingsOptions } from './readAdminSettings.js';
import { policyLocations } from './locations.js';
import { readPolicy, type ReadPolicyOptions } from './readPolicy.js';
import { openWatchedFeed, type WatchedFeedOptions } from './watchedFeed.js';

export type PolicyFeedOptions = ReadPolicyOptions & WatchedFeedOptions;

export interface PolicyFeed extends PolicyPort {
  /** The latest full report (sources, winner, protection, errors and warnings). */
  report(): PolicyReport;
  /** Called with every report that differs from the previous one. */
  subscribeReports(listener: (report: PolicyReport) => void): () => void;
  /** Re-reads now (the agent calls it on demand, e.g. `bosun doctor`). */
  refresh(): Promise<PolicyReport>;
}

/** A report's content, without the time it was read: equal keys mean nothing changed. */
function reportKey(r: { readAt: string }): string {
  return JSON.stringify({ ...r, readAt: '' });
}

function watchedFiles(opts: ReadPolicyOptions): string[] {
  const loc = policyLocations(opts);
  return [loc.macProfile, loc.macDesktopPlist, loc.registryJson].filter((p): p is string => !!p);
}

export async function openPolicyFeed(opts: PolicyFeedOptions = {}): Promise<PolicyFeed> {
  const feed = await openWatchedFeed(watchedFiles(opts), () => readPolicy(opts), reportKey, { stopAt: policyLocations(opts).root.path, ...opts });
  const viewKey = (v: PolicyView) => JSON.stringify(v);
  return {
    current: () => toPolicyView(feed.latest()),
    report: () => feed.latest(),
    subscribe(listener) {
      let last = viewKey(toPolicyView(feed.latest()));
      return feed.subscribe((r) => {
        const view = toPolicyView(r);
        const k = viewKey(view);
        if (k === last) return;
        last = k;
        listener(view);
      });
    },
    subscribeReports: (listener) => feed.subscribe(listener),
    refresh: () => feed.refresh(),
    close: () => feed.close(),
  };
}

export interface AdminSettingsFeed {
  current(): AdminSettingsReport;
  subscribe(listener: (report: AdminSettingsReport) => void): () => void;
  refresh(): Promise<AdminSettingsReport>;
  close(): Promise<void>;
}

/** The same watcher over Bosun's settings.json. */
export async function openAdminSettingsFeed(opts: ReadAdminSettingsOptions & WatchedFeedOptions = {}): Promise<AdminSettingsFeed> {
  const loc = policyLocations(opts);
  const feed = await openWatchedFeed([loc.adminSettings], () => readAdminSettings(opts), reportKey, { stopAt: loc.root.path, ...opts });
  return { current: () => feed.latest(), subscribe: feed.subscribe, refresh: feed.refresh, close: feed.close };
}
