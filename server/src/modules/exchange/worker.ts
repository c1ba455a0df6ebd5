import type { Db } from '../../platform/db/transaction.js';
import { processDropFolder } from './drop-folder.js';
import { deliverDue, sendFailureDigests } from './outbox.js';

export interface ExchangeWorker {
  stop(): Promise<void>;
}

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
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const pass = async () => {
    if (options.inboxDir) await processDropFolder(db, options.inboxDir, options.maxMessageBytes).catch((error: unknown) => options.log(error, 'drop folder'));
    try {
      while (!stopped && (await deliverDue(db, { secret: options.secret })) > 0);
    } catch (error) {
      options.log(error, 'outbox delivery');
    }
    await sendFailureDigests(db).catch((error: unknown) => options.log(error, 'failure digest'));
  };
  const timer = setInterval(() => {
    // One pass at a time: a slow partner must not pile passes up.
    if (!stopped) running = running.then(pass);
  }, options.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
