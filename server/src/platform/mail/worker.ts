import type { Db } from '../db/transaction.js';
import { runPeriodically, type Periodic } from '../jobs/periodic.js';
import { deliverDueMails, type MailDeliveryReport } from './outbox.js';
import type { MailTransport } from './transport.js';

export type MailWorker = Periodic;

export interface MailWorkerOptions {
  intervalMs: number;
  /** A pass that failed as a whole (the database away, …). */
  log: (error: unknown) => void;
  /** What a pass did, when it claimed anything (the problems name mails by id, never by address). */
  report?: (report: MailDeliveryReport) => void;
}

/**
 * The mail delivery inside the server: every `intervalMs`, batches until nothing is due. Several
 * server processes may run it (claims are `SKIP LOCKED`). `stop` hands back what it had not begun,
 * waits for the mail in flight, and closes the transport.
 */
export function startMailWorker(db: Db, transport: MailTransport, options: MailWorkerOptions): MailWorker {
  let stopping = false;
  const worker = runPeriodically(
    options.intervalMs,
    async () => {
      for (;;) {
        const report = await deliverDueMails(db, transport, { shouldStop: () => stopping });
        if (report.claimed > 0) options.report?.(report);
        // A full pass of only retries would claim nothing more now; a handed-back batch means stop.
        if (stopping || report.claimed === 0 || report.handedBack > 0) break;
      }
    },
    options.log,
    { immediately: false },
  );
  return {
    async stop() {
      stopping = true;
      await worker.stop();
      transport.close();
    },
  };
}
