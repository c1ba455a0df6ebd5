/** Public interface of the finance module: fees, invoices, payments, deposits (Kaution), fines, the yearly account. */
export { registerFinanceRoutes } from './routes.js';
export { feePreviews, feeDto, adjustedStepFee, chargeCaseStep, checkFine, invoiceCaseObligation, onInvoiceReminderDue, INVOICE_REMINDER, type FeePreview, type CaseStepCharge, type CaseObligation } from './invoices.js';
export { orderDepositIfOwed, remindSettlementOnDeparture } from './deposits.js';
export { feeScheduleOf } from './fee-schedule.js';
export { saveSettings } from './settings.js';
export { recordCounterPayment } from './payments.js';
export { invoicesOf as invoiceRowsOf } from './repository.js';
export { amountOrProblem } from './amounts.js';
export type { FeeAdjustment } from './rules/fees.js';
