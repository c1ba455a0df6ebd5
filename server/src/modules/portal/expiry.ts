import { addMonths, format } from 'date-fns';
import { appendAudit } from '../../platform/audit/audit.js';
import { withTenantScope } from '../../platform/db/tenant-scope.js';
import { inTransaction, type Db } from '../../platform/db/transaction.js';
import { runPeriodically, type Periodic } from '../../platform/jobs/periodic.js';
import { queueMail } from '../../platform/mail/index.js';
import { personName } from '../register/index.js';
import { formOffered } from './application-rules.js';
import { formsOf } from './forms.js';
import { expiryMail } from './notices.js';
import * as repo from './repository.js';
import { calendarDate } from './rules.js';

/**
 * "Your permit expires in two months": once per permit and end date, to every account that may
 * file applications for the person, with a link that opens the extension prefilled. A permit
 * whose extension is already running is left alone. Several processes may run this at once: the
 * notice's primary key lets only one of them send.
 */

export const NOTICE_MONTHS_BEFORE_EXPIRY = 2;

export interface ExpiryNoticeReport {
  tenants: number;
  notices: number;
  mails: number;
}

export async function sendExpiryNotices(db: Db, options: { baseUrl: string; now?: Date }): Promise<ExpiryNoticeReport> {
  const now = options.now ?? new Date();
  const today = calendarDate(now);
  const until = format(addMonths(new Date(`${today}T00:00:00Z`), NOTICE_MONTHS_BEFORE_EXPIRY), 'yyyy-MM-dd');
  const report: ExpiryNoticeReport = { tenants: 0, notices: 0, mails: 0 };
  const tenants = await db.selectFrom('tenants').select(['id', 'name', 'country']).execute();
  for (const tenant of tenants) {
    const forms = formsOf(tenant.country).filter((form) => form.offerBeforeExpiry === true);
    if (forms.length === 0) continue;
    report.tenants++;
    await withTenantScope(tenant.id, async () => {
      const due = await repo.permitsDueForNotice(db, tenant.id, today, until);
      for (const permit of due) {
        const form = forms.find((candidate) => formOffered(candidate, permit.category));
        if (!form || permit.valid_until === null) continue;
        await inTransaction(db, async (trx) => {
          const running = await trx.selectFrom('cases').select('id').where('person_id', '=', permit.person_id).where('type_slug', '=', form.caseType).where('closed_at', 'is', null).executeTakeFirst();
          const recipients = running ? [] : await repo.accountsForPerson(trx, tenant.id, permit.person_id, 'applications', today);
          if (!(await repo.recordExpiryNotice(trx, { tenantId: tenant.id, permitId: permit.id, validUntil: permit.valid_until!, personId: permit.person_id, recipients: recipients.length }))) return;
          if (recipients.length === 0) return;
          const person = await personName(trx, tenant.id, permit.person_id);
          const link = `${options.baseUrl.replace(/\/+$/, '')}/portal/apply/${form.slug}?person=${permit.person_id}`;
          for (const account of recipients) {
            const forSelf = account.personId === permit.person_id;
            const mail = expiryMail(account.language, { office: tenant.name, name: account.displayName, category: permit.category, validUntil: permit.valid_until!, link, forSelf, personName: person ? `${person.firstNames} ${person.officialName}` : '' });
            await queueMail(trx, { tenantId: tenant.id, to: account.email, toName: account.displayName, ...mail, purpose: 'notification' });
          }
          await appendAudit(trx, { tenantId: tenant.id, actorId: null, actorKind: 'system', actorName: 'portal expiry notices', requestId: null }, { action: 'portal.expiry-notice-sent', entityType: 'person', entityId: permit.person_id, details: { permit: permit.id, validUntil: permit.valid_until, recipients: recipients.length } });
          report.notices++;
          report.mails += recipients.length;
        });
      }
    });
  }
  return report;
}

/** Inside the server: an hourly pass (the notices are once per permit, so the pass may run often). */
export function startExpiryNotices(db: Db, intervalMs: number, baseUrl: string, log: (error: unknown) => void): Periodic {
  return runPeriodically(intervalMs, () => sendExpiryNotices(db, { baseUrl }), log, { immediately: false });
}
