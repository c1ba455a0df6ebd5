import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/transaction.js';
import { municipalitiesOfTenant } from '../register/index.js';
import { countries } from './countries.js';
import { ownIdCategory, type Office } from './inbox.js';
import { baseDeliveryEntries, officeCodes } from './outgoing.js';
import { ownParticipantId } from './outbox.js';
import { ECH0020_MESSAGE_TYPE, writeDelivery } from './rules/ech0020-write.js';
import type { BaseDeliveryEntry } from './rules/events.js';
import { VERSION } from '../../version.js';

/**
 * The whole register of an office as eCH-0020 base deliveries (eCH-0058 partialDelivery is not
 * used: each file is a complete delivery of up to `perFile` persons), with MigraFlow's history
 * extension so that another MigraFlow office can take it over without loss.
 */
export async function* exportBaseDeliveries(db: Db, office: Office, options: { perFile: number; today: string }): AsyncGenerator<{ xml: string; persons: number }> {
  const municipalities = new Map((await municipalitiesOfTenant(db, office.id)).map((m) => [m.bfs, m.name]));
  const codes = await officeCodes(db, office.id, ownIdCategory(office.slug), municipalities, countries());
  const sender = await ownParticipantId(db, office.id);
  let after = '00000000-0000-0000-0000-000000000000';
  let pending: BaseDeliveryEntry[] = [];
  const flush = () => {
    const xml = writeDelivery(
      {
        header: {
          senderId: sender,
          recipientIds: [],
          messageId: randomUUID(),
          referenceMessageId: null,
          messageType: ECH0020_MESSAGE_TYPE,
          messageDate: new Date().toISOString().slice(0, 19),
          eventDate: options.today,
          action: 1,
          testDelivery: false,
          sendingApplication: { manufacturer: 'MigraFlow', product: 'MigraFlow', productVersion: VERSION.slice(0, 10) },
        },
        event: { type: 'baseDelivery', entries: pending },
      },
      codes.countries,
    );
    const persons = pending.length;
    pending = [];
    return { xml, persons };
  };
  for (;;) {
    // Keyset pages by id: each page is one set of queries, whatever the register's size.
    const page = await db.selectFrom('persons').selectAll().where('tenant_id', '=', office.id).where('merged_into', 'is', null).where('id', '>', after).orderBy('id').limit(1000).execute();
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    for (const entry of await baseDeliveryEntries(db, codes, page, options.today)) {
      pending.push(entry);
      if (pending.length >= options.perFile) yield flush();
    }
  }
  if (pending.length > 0) yield flush();
}
