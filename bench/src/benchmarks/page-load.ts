import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { checkTarget, defineBenchmark, type TargetCheck } from '../lib/benchmark.js';
import { describeHardware } from '../lib/hardware.js';
import { formatMs, out, progress } from '../lib/output.js';
import { median, roundMs } from '../lib/stats.js';
import { markdownTable } from '../lib/table.js';

/**
 * Pages on a slow line (issue "Applicant portal", item 7: "no page needs more than a few seconds on
 * a slow line"): the built server with its demo data, Debian's Chromium on a 360-pixel phone with a
 * cold cache, the network throttled through the DevTools protocol to a 3G line (1.6 Mbit/s down,
 * 750 kbit/s up, 300 ms round trip) and a slow 3G line (400 kbit/s, 400 ms). Measured per page: the
 * time until its main heading is visible and the bytes that crossed the line. Target: ≤ 5 s on 3G.
 * The database does not matter here; the benchmark runs once, on the embedded one.
 */

const MAIN = fileURLToPath(new URL('../../../server/dist/main.js', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = 3;
const TARGET_MS = 5_000;

interface Line {
  name: string;
  downKbit: number;
  upKbit: number;
  rttMs: number;
}

const LINES: readonly Line[] = [
  { name: '3G', downKbit: 1_600, upKbit: 750, rttMs: 300 },
  { name: 'slow 3G', downKbit: 400, upKbit: 400, rttMs: 400 },
];

/** Public pages a person reaches first, and what shows that each is usable. */
const PAGES = [
  { name: 'sign-up', path: '/portal/sign-up?office=demo', ready: 'h1' },
  { name: 'sign-in', path: '/login', ready: 'h1' },
  { name: 'permit check', path: '/check', ready: 'h1' },
] as const;

async function startServer(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [MAIN, 'serve'], { env: { PATH: process.env.PATH ?? '', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 120 s:\n${output}`)), 120_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/localhost:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** One cold load of a page; `line` null: unthrottled. */
async function loadOnce(browser: Browser, url: string, line: Line | null, page: (typeof PAGES)[number]): Promise<{ ms: number; bytes: number }> {
  // A fresh context: nothing cached, as for someone opening the link from a letter.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'de-CH' });
  try {
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    if (line) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: line.rttMs, downloadThroughput: (line.downKbit * 1024) / 8, uploadThroughput: (line.upKbit * 1024) / 8 });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (event: { encodedDataLength: number }) => (bytes += event.encodedDataLength));
    const started = performance.now();
    await tab.goto(`${url}${page.path}`, { waitUntil: 'commit' });
    await tab.locator(page.ready).first().waitFor({ state: 'visible', timeout: 60_000 });
    return { ms: performance.now() - started, bytes };
  } finally {
    await context.close();
  }
}

export const pageLoadBenchmark = defineBenchmark('page-load', 'public portal pages on a phone over a throttled 3G line (cold cache)', async (kind, context, report) => {
  if (!existsSync(MAIN)) throw new Error('server/dist/main.js is missing: `npm run bench` builds it first');
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (install Debian's chromium or set CHROMIUM_PATH)`);
  out(`\n## page load — ${describeHardware(context.hardware)}`);
  if (kind !== 'pglite') {
    out('The page-load benchmark runs on the embedded database only (the pages do not depend on it).');
    return report({ environment: { skipped: 'not database-bound' }, results: {}, targets: [] });
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mf-bench-pages-'));
  const server = await startServer(dataDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'] });
  const results: Record<string, { medianMs: number; bytes: number }> = {};
  const targets: TargetCheck[] = [];
  const rows: string[][] = [];
  try {
    // One unthrottled load first: the server compresses and caches its files on first use.
    for (const page of PAGES) await loadOnce(browser, server.url, null, page);
    for (const line of LINES) {
      for (const page of PAGES) {
        const samples: { ms: number; bytes: number }[] = [];
        for (let run = 0; run < RUNS; run++) samples.push(await loadOnce(browser, server.url, line, page));
        const medianMs = roundMs(median(samples.map((s) => s.ms)));
        const bytes = Math.round(median(samples.map((s) => s.bytes)));
        results[`${line.name} ${page.name}`] = { medianMs, bytes };
        rows.push([line.name, page.name, formatMs(medianMs), `${(bytes / 1024).toFixed(0)} KiB`]);
        progress(`${line.name} ${page.name}: ${formatMs(medianMs)}`);
        if (line.name === '3G') targets.push(checkTarget({ label: `${page.name} on 3G`, actual: medianMs, limit: TARGET_MS, unit: 'ms', direction: 'max', applies: true }));
      }
    }
  } finally {
    await browser.close();
    server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  out(markdownTable(['line', 'page', 'visible after (median of 3)', 'transferred'], rows, ['left', 'left', 'right', 'right']));
  return report({ environment: { lines: LINES, runs: RUNS, viewport: '360×740', cache: 'cold' }, results, targets });
});
