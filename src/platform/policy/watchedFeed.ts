// A value re-read from admin files whenever they change: a chokidar watcher on their parent
// directories (so create, delete and replace-by-rename are all seen, which watching the file itself
// misses), debounced, plus a periodic re-read that catches anything the OS did not report.
import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface WatchedFeedOptions {
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

/** The nearest directory that exists at or above `dir` (a policy directory may be created later). */
function nearestExisting(dir: string): string {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  return d;
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
        const next = await read();
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
  const ensureWatched = () => {
    for (const t of targets) {
      const dir = nearestExisting(dirname(t));
      if (!watched.has(dir)) {
        watched.add(dir);
        watcher.add(dir);
      }
    }
  };
  ensureWatched();
  watcher.on('all', (_event, path) => {
    if (closed || !relevant(path)) return;
    ensureWatched();
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), debounceMs);
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
