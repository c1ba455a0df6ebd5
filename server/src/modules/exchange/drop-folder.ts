import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../platform/db/transaction.js';
import { exchangeActor, receiveMessage, type InboxOutcome, type Office } from './inbox.js';
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

/** Handles every waiting file of one office's folder, oldest first. */
export async function processOfficeFolder(db: Db, folder: string, office: Office, maxBytes: number): Promise<FolderResult[]> {
  const names = (await readdir(folder, { withFileTypes: true })).filter((entry) => entry.isFile() && isMessageFile(entry.name)).map((entry) => entry.name);
  const files = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(path.join(folder, name))).mtimeMs })));
  files.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
  const results: FolderResult[] = [];
  await mkdir(path.join(folder, PROCESSED), { recursive: true });
  for (const { name } of files) {
    const outcome = await importFile(db, path.join(folder, name), office, 'folder', maxBytes);
    await rename(path.join(folder, name), path.join(folder, PROCESSED, name));
    results.push({ file: name, outcome });
  }
  return results;
}

/** One file through the inbox: its sender's partner is found by participant id where the message names one. */
export async function importFile(db: Db, file: string, office: Office, channel: 'folder' | 'cli', maxBytes: number): Promise<InboxOutcome> {
  const size = (await stat(file)).size;
  if (size > maxBytes) throw new Error(`${path.basename(file)} is ${size} bytes; the largest message taken is ${maxBytes} bytes (EXCHANGE_MAX_MESSAGE_BYTES).`);
  const bytes = await readFile(file);
  const context = { actor: exchangeActor(office, channel), requestId: `${channel}:${path.basename(file)}`.slice(0, 100) };
  const message = { office, bytes, channel, partner: null, fileName: path.basename(file), context } as const;
  if (/\.csv$/i.test(file)) return receiveTenancyReports(db, message);
  // The folder carries no credential: the partner is the one the header names, if it is registered.
  const sender = /<(?:[\w-]+:)?senderId>\s*([^<\s]+)\s*</.exec(bytes.subarray(0, 4096).toString('utf8'))?.[1];
  const partner = sender ? ((await repo.partnerByParticipant(db, office.id, sender)) ?? null) : null;
  return receiveMessage(db, { ...message, partner: partner?.active ? partner : null });
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
