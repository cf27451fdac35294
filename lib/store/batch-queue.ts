/**
 * The gathering loop of the token path's PostgreSQL batches (postgres-committer.ts writes,
 * postgres-policy-check.ts reads): what arrives while batches are out waits and goes in the
 * next one, at most `maxInFlight` batches are out at once, and a batch leaves after the current
 * turn's I/O callbacks, so the exchanges that finished together go together.
 */
export interface BatchQueue<T> {
  /** Queue an item for the next batch. */
  push(item: T): void;
  /** Resolves once nothing is queued or out. */
  settled(): Promise<void>;
}

/** `send` answers every item of its batch itself (resolves or rejects each); it should not throw. */
export function batchQueue<T>(send: (batch: T[]) => Promise<void>, maxInFlight: number): BatchQueue<T> {
  let queue: T[] = [];
  let scheduled = false;
  let inFlight = 0;
  let waiting: Array<() => void> = [];

  const idle = () => queue.length === 0 && inFlight === 0 && !scheduled;
  const wakeIfIdle = () => {
    if (!idle()) return;
    for (const resolve of waiting) resolve();
    waiting = [];
  };

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue;
      queue = [];
      inFlight++;
      void send(batch).finally(() => {
        inFlight--;
        if (queue.length > 0) schedule();
        else wakeIfIdle();
      });
    }
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    push(item) {
      queue.push(item);
      schedule();
    },
    settled: () => (idle() ? Promise.resolve() : new Promise<void>((resolve) => waiting.push(resolve))),
  };
}
