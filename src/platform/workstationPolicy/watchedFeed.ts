// A value re-read from admin files whenever they change: a chokidar watcher on their parent
// directories (so create, delete and replace-by-rename are all seen, which watching the file itself
// misses), debounced, plus a periodic re-read that catches anything the OS did not report.
import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface WatchedFeedOptions {
  /** The highest directory to watch (the policy root); default "/". */
  stopAt?: string;
  /** Quiet time after the last event before re-reading (default 75 ms; reports arrive well within 500 ms). */
  debounceMs?: number;
  /** Periodic re-read (default 60 s). */
  rereadMs?: number;
}

export interface WatchedFeed<T> {
  latest(): T;
  subscribe(listener: (value: T) => void): () => void;
  /** Re-reads now and publishes when the value changed. */
  refresh(): Promise<T>;
  close(): Promise<void>;
}

/**
 * Every directory from the file's parent up to `stopAt` (or "/"). Watching the whole chain (depth 0,
 * one watch each) means a policy directory that is created, removed or renamed later is still seen.
 */
function ancestors(file: string, stopAt: string): string[] {
  const out: string[] = [];
  const stop = resolve(stopAt);
  for (let d = dirname(file); ; d = dirname(d)) {
    out.push(d);
    if (d === stop || dirname(d) === d) return out;
  }
}

export async function openWatchedFeed<T>(
  files: readonly string[],
  read: () => Promise<T>,
  identity: (value: T) => string,
  opts: WatchedFeedOptions = {},
): Promise<WatchedFeed<T>> {
  const debounceMs = opts.debounceMs ?? 75;
  const targets = files.map((f) => resolve(f));
  const relevant = (p: string) => {
    const abs = resolve(p);
    return targets.some((t) => t === abs || t.startsWith(abs + sep));
  };
  let value = await read();
  let key = identity(value);
  const listeners = new Set<(v: T) => void>();
  let timer: NodeJS.Timeout | undefined;
  let reading: Promise<T> | undefined;
  let again = false;
  let closed = false;

  const refresh = async (): Promise<T> => {
    if (reading) {
      again = true; // an event arrived mid-read: read once more afterwards so the last write wins
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        let next: Awaited<T>;
        try {
          next = await read();
        } catch {
          // The readers report failures inside the value; a throw here is a bug, not a new state.
          // Keep the last value rather than publish nothing; the next event or timer retries.
          continue;
        }
        if (closed) return value;
        const nextKey = identity(next);
        value = next;
        if (nextKey !== key) {
          key = nextKey;
          for (const l of [...listeners]) l(next);
        }
      } while (again && !closed);
      return value;
    })();
    try {
      return await reading;
    } finally {
      reading = undefined;
    }
  };

  const watched = new Set<string>();
  const watcher: FSWatcher = watch([], { ignoreInitial: true, depth: 0, atomic: false, persistent: true });
  const chain = [...new Set(targets.flatMap((t) => ancestors(t, opts.stopAt ?? '/')))];
  /** Watches every existing directory of the chains; true when a directory was (re)added. */
  const ensureWatched = (): boolean => {
    let added = false;
    for (const dir of chain) {
      if (!watched.has(dir) && existsSync(dir)) {
        watched.add(dir);
        watcher.add(dir);
        added = true;
      }
    }
    return added;
  };
  ensureWatched();
  watcher.on('all', (event, path) => {
    if (closed || !relevant(path)) return;
    if (event === 'unlinkDir') {
      // chokidar drops the watch of a removed directory; forget it so a recreated one is re-added.
      const gone = resolve(path);
      // (No unwatch(): chokidar would then ignore the path for good.)
      for (const d of [...watched]) if (d === gone || d.startsWith(gone + sep)) watched.delete(d);
    }
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), debounceMs);
    if (ensureWatched()) {
      // A policy directory was just created: a file written into it before its watch is ready
      // sends no event, so read once more after the watch has settled.
      const settle = setTimeout(() => void refresh(), debounceMs + 200);
      settle.unref();
    }
  });
  watcher.on('error', () => {
    // A watch error (a directory removed under us) is covered by the periodic re-read.
  });
  await new Promise<void>((res) => watcher.once('ready', () => res()));
  const interval = setInterval(() => {
    ensureWatched();
    void refresh();
  }, opts.rereadMs ?? 60_000);
  interval.unref();

  return {
    latest: () => value,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refresh,
    async close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(interval);
      listeners.clear();
      await watcher.close();
    },
  };
}
