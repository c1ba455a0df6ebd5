import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../platform/db/transaction.js';
import { exchangeActor, receiveBatch, type IncomingMessage, type InboxOutcome, type Office } from './inbox.js';
import * as repo from './repository.js';
import { receiveTenancyReports } from './tenancy-reports.js';

/**
 * The drop folder a transport such as sedex delivers into: `<folder>/<office slug>/`. Each file is
 * one message (`.xml`, or `.csv` for landlords' reports). A file leaves the folder only after its
 * message is in the database — applied, a duplicate or in quarantine — so a crash at any moment
 * leaves every file either handled or still waiting; a file read twice is a duplicate.
 */

export interface FolderResult {
  file: string;
  outcome: InboxOutcome;
}

const PROCESSED = 'processed';

/** Files still being written (`.part`, hidden) are left for the next look. */
function isMessageFile(name: string): boolean {
  return !name.startsWith('.') && /\.(xml|csv)$/i.test(name);
}

/** Files read and applied together (one commit); each message still applies whole or not at all. */
const RUN = 200;

/** Handles every waiting file of one office's folder, oldest first. */
export async function processOfficeFolder(db: Db, folder: string, office: Office, maxBytes: number): Promise<FolderResult[]> {
  const names = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isFile() && isMessageFile(entry.name)).map((entry) => entry.name);
  const files = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(path.join(folder, name))).mtimeMs })));
  files.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
  const results: FolderResult[] = [];
  await mkdir(path.join(folder, PROCESSED), { recursive: true });
  for (let start = 0; start < files.length; start += RUN) {
    const run = files.slice(start, start + RUN).map((file) => path.join(folder, file.name));
    const outcomes = await importFiles(db, run, office, 'folder', maxBytes);
    // Moved only now: every message of the run is stored (applied, duplicate or in quarantine).
    for (const [index, file] of run.entries()) {
      await rename(file, path.join(folder, PROCESSED, path.basename(file)));
      results.push({ file: path.basename(file), outcome: outcomes[index]! });
    }
  }
  return results;
}

/** The folder carries no credential: the partner is the one the header names, if it is registered and active. */
async function senderOf(db: Db, office: Office, bytes: Uint8Array): Promise<repo.PartnerRow | null> {
  const sender = /<(?:[\w-]+:)?senderId>\s*([^<\s]+)\s*</.exec(Buffer.from(bytes.subarray(0, 4096)).toString('utf8'))?.[1];
  const partner = sender ? await repo.partnerByParticipant(db, office.id, sender) : undefined;
  return partner?.active ? partner : null;
}

/**
 * Files through the inbox, in order: XML messages of the run share one commit (receiveBatch),
 * landlords' CSV files go one by one. Returns one outcome per file.
 */
export async function importFiles(db: Db, files: string[], office: Office, channel: 'folder' | 'cli', maxBytes: number): Promise<InboxOutcome[]> {
  const outcomes: InboxOutcome[] = [];
  let pending: IncomingMessage[] = [];
  const flush = async () => {
    if (pending.length > 0) outcomes.push(...(await receiveBatch(db, pending)));
    pending = [];
  };
  for (const file of files) {
    const size = (await stat(file)).size;
    if (size > maxBytes) throw new Error(`${path.basename(file)} is ${size} bytes; the largest message taken is ${maxBytes} bytes (EXCHANGE_MAX_MESSAGE_BYTES).`);
    const bytes = await readFile(file);
    const context = { actor: exchangeActor(office, channel), requestId: `${channel}:${path.basename(file)}`.slice(0, 100) };
    const message: IncomingMessage = { office, bytes, channel, partner: null, fileName: path.basename(file), context };
    if (/\.csv$/i.test(file)) {
      await flush();
      outcomes.push(await receiveTenancyReports(db, message));
      continue;
    }
    pending.push({ ...message, partner: await senderOf(db, office, bytes) });
    if (pending.length >= RUN) await flush();
  }
  await flush();
  return outcomes;
}

/** Looks into `<root>/<office slug>/` for every office that has a folder there. */
export async function processDropFolder(db: Db, root: string, maxBytes: number): Promise<FolderResult[]> {
  const offices = await db.selectFrom('tenants').select(['id', 'slug', 'name']).execute();
  const results: FolderResult[] = [];
  for (const office of offices) {
    const folder = path.join(root, office.slug);
    try {
      if (!(await stat(folder)).isDirectory()) continue;
    } catch {
      continue;
    }
    results.push(...(await processOfficeFolder(db, folder, office, maxBytes)));
  }
  return results;
}
