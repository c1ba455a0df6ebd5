/** Background work inside the server that repeats: the deadline scheduler, retention, the exchange. */
export interface Periodic {
  /** Stops the timer and waits for a pass in progress to end. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` every `intervalMs`, one pass at a time (a slow pass delays the next, it does not pile
 * up), and at once when `immediately`. A pass that fails is handed to `log`; the next one tries again.
 */
export function runPeriodically(intervalMs: number, pass: () => Promise<unknown>, log: (error: unknown) => void, options: { immediately: boolean }): Periodic {
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = running.then(() => (stopped ? undefined : pass().catch(log)));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  if (options.immediately) tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
