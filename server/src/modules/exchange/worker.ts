import type { Db } from '../../platform/db/transaction.js';
import { runPeriodically, type Periodic } from '../../platform/jobs/periodic.js';
import { processDropFolder } from './drop-folder.js';
import { deliverDue, sendFailureDigests } from './outbox.js';

export type ExchangeWorker = Periodic;

export interface WorkerOptions {
  intervalMs: number;
  secret: string;
  inboxDir: string | null;
  maxMessageBytes: number;
  log: (error: unknown, what: string) => void;
}

/**
 * The exchange's background work inside the server: the drop folder, the outbox deliveries (until
 * nothing is due), and the daily failure digest. Several server processes may run it: claims are
 * `SKIP LOCKED`, a file is moved away only after its message is stored, the digest is once a day.
 */
export function startExchangeWorker(db: Db, options: WorkerOptions): ExchangeWorker {
  let stopping = false;
  const worker = runPeriodically(
    options.intervalMs,
    async () => {
      if (options.inboxDir) await processDropFolder(db, options.inboxDir, options.maxMessageBytes).catch((error: unknown) => options.log(error, 'drop folder'));
      try {
        while (!stopping && (await deliverDue(db, { secret: options.secret })) > 0);
      } catch (error) {
        options.log(error, 'outbox delivery');
      }
      await sendFailureDigests(db).catch((error: unknown) => options.log(error, 'failure digest'));
    },
    (error) => options.log(error, 'pass'),
    { immediately: false },
  );
  return {
    async stop() {
      stopping = true;
      await worker.stop();
    },
  };
}
