/**
 * The mail platform: a transactional outbox for e-mail and its delivery (SMTP, or .eml files in
 * the data folder). Modules queue mail with `queueMail` inside their command's transaction.
 */
export { deliverDueMails, mailTables, MailInputError, queueMail, type MailDeliveryOptions, type MailDeliveryReport, type MailOutboxTable, type MailProblem, type MailRow, type MailStatus, type MailTables } from './outbox.js';
export { MAIL_MAX_ATTEMPTS, MAX_ATTACHMENT_BYTES, isPermanentFailure, nextMailAttempt, type MailPurpose, type NewMail, type NewMailAttachment } from './rules.js';
export { createMailTransport, type MailSettings, type MailTransport, type OutgoingMail, type SentMail, type StoredAttachment } from './transport.js';
export { startMailWorker, type MailWorker, type MailWorkerOptions } from './worker.js';
