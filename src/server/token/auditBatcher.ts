// Token decisions are the hottest writes of the server (one record per scope per grant). Writing
// each in its own SQLite transaction costs a WAL commit apiece; grouping the records of one event
// loop turn into one transaction keeps every record while paying one commit per batch. Records are
// written before the next I/O callback runs, and `flush()` runs when the server closes.
// Measured 2026-12-05 (bench/token.bench.ts; BENCHMARKS.md, "After the server restructuring"):
// 197 µs of main thread per grant with one transaction per record, 156 µs batched.
export class AuditBatcher<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(private readonly writeAll: (records: T[]) => void) {}

  add(record: T): void {
    this.pending.push(record);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writeAll(batch);
  }
}
