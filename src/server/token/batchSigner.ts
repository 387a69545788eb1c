// ES256 signatures (SHA-256, P-256, raw r‖s as JWS wants) computed on one worker thread, in
// batches. crypto.sign's callback form also signs off the event loop, but one threadpool job per
// token cost the event loop a thread wake-up (futex) and a completion callback per signature: ~8%
// of its cycles under `perf` (bench/token.bench.ts). Here the signatures asked for during one turn
// of the event loop go to the worker as one message and come back as one. Measured in its commit
// (BENCHMARKS.md, "Token service"): main thread 156/150 → 105/97 µs per grant with the change
// before it; re-measured 2026-12-05 at a far higher load, 170 → 156 µs, within that run's noise.
// The worker is signingWorker.mjs beside this file. The server's composition root (app.ts) creates
// the signer and closes it when the server closes.
import type { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** The worker module: next to this file in src/ and dist/src/, and next to the bundled CLI (scripts/build.mjs). */
const WORKER_URL = new URL('./signingWorker.mjs', import.meta.url);

interface Pending {
  input: string;
  resolve(signature: Buffer): void;
  reject(error: Error): void;
}

interface Batch {
  id: number;
  keyId: number;
  key?: KeyObject;
  inputs: string[];
}

type Reply = { id: number; signatures: Uint8Array } | { id: number; error: string };

export class BatchSigner {
  private worker: Worker | undefined;
  /** Key objects by identity, numbered for the worker, which keeps each one it has been sent. */
  private readonly keyIds = new WeakMap<KeyObject, number>();
  private readonly sentKeys = new Set<number>();
  private nextKeyId = 1;
  private nextBatchId = 1;
  /** Signatures asked for in this turn of the event loop, by key. */
  private queued = new Map<KeyObject, Pending[]>();
  private readonly inFlight = new Map<number, Pending[]>();
  private scheduled = false;

  /** The ES256 signature of `input` (64 bytes, r‖s). */
  sign(input: string, key: KeyObject): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let list = this.queued.get(key);
      if (!list) this.queued.set(key, (list = []));
      list.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Stops the worker; signatures still pending fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    const closed = new Error('the token signer was closed');
    this.failAll(closed);
    for (const pending of this.queued.values()) for (const p of pending) p.reject(closed);
    this.queued.clear();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.queued.size === 0) return;
    const queued = this.queued;
    this.queued = new Map();
    const worker = this.ensureWorker();
    for (const [key, pending] of queued) {
      let keyId = this.keyIds.get(key);
      if (keyId === undefined) this.keyIds.set(key, (keyId = this.nextKeyId++));
      const batch: Batch = { id: this.nextBatchId++, keyId, inputs: pending.map((p) => p.input) };
      if (!this.sentKeys.has(keyId)) {
        batch.key = key; // KeyObjects are cloned to workers by postMessage
        this.sentKeys.add(keyId);
      }
      this.inFlight.set(batch.id, pending);
      worker.postMessage(batch);
    }
    // Referenced only while signatures are awaited: an idle signer never keeps a process alive.
    if (this.inFlight.size > 0) worker.ref();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL);
    worker.unref(); // flush() references it while signatures are awaited
    worker.on('message', (reply: Reply) => this.settle(reply));
    const lost = (error: Error) => {
      if (this.worker !== worker) return;
      // A new worker knows no keys: they are sent again with the next batch.
      this.worker = undefined;
      this.sentKeys.clear();
      this.failAll(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the token signing worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: Reply): void {
    const pending = this.inFlight.get(reply.id);
    if (!pending) return;
    this.inFlight.delete(reply.id);
    if (this.inFlight.size === 0) this.worker?.unref();
    if ('error' in reply) {
      for (const p of pending) p.reject(new Error(`signing failed: ${reply.error}`));
      return;
    }
    const all = Buffer.from(reply.signatures.buffer, reply.signatures.byteOffset, reply.signatures.byteLength);
    pending.forEach((p, i) => p.resolve(all.subarray(64 * i, 64 * (i + 1))));
  }

  private failAll(error: Error): void {
    for (const pending of this.inFlight.values()) for (const p of pending) p.reject(error);
    this.inFlight.clear();
  }
}
