import { Checkbox, Stack, Table, Textarea, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { FeeAdjustment, StepFee } from '../../api/finance';
import { currentLanguage } from '../../i18n';
import { formatMoney } from '../../lib/format';
import { localText } from '../cases/common';
import { Money, normaliseAmount, toMinor } from './common';

/** "Gebühr: CHF 97.00" beside a step button. */
export function stepFeeHint(fee: StepFee, t: TFunction): string {
  return t('finance.stepFee.hint', { amount: formatMoney(fee.total, fee.currency, currentLanguage()) });
}

/**
 * What the step will charge, shown before the decision: each item of the tariff with its legal
 * basis and the total (the tariff in force today).
 */
export function StepFeeSummary({ fee }: { fee: StepFee }) {
  const { t } = useTranslation();
  const captionId = useId();
  return (
    <div className="mf-fee" role="group" aria-labelledby={captionId} data-testid="step-fee" data-total={fee.total}>
      <Table verticalSpacing={4} horizontalSpacing="xs" className="mf-fee-table">
        <caption id={captionId} className="mf-table-caption">{t('finance.stepFee.title')}</caption>
        <Table.Thead className="sr-only">
          <Table.Tr>
            <Table.Th scope="col">{t('finance.stepFee.item')}</Table.Th>
            <Table.Th scope="col">{t('finance.stepFee.amount')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {fee.lines.map((line, index) => (
            <Table.Tr key={`${line.code}-${String(index)}`} data-testid="step-fee-line" data-code={line.code}>
              <Table.Th scope="row">
                {localText(line.names)}
                <div className="mf-small mf-muted mf-legal-basis">{line.legalBasis}</div>
              </Table.Th>
              <Table.Td className="mf-num"><Money amount={line.amount} currency={fee.currency} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr className="mf-total-row">
            <Table.Th scope="row">{t('finance.stepFee.total')}</Table.Th>
            <Table.Td className="mf-num"><Money amount={fee.total} currency={fee.currency} testId="step-fee-total" /></Table.Td>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </div>
  );
}

export interface FeeAdjustmentDraft {
  /** The optional section is open. */
  on: boolean;
  charge: string;
  reason: string;
}

export const NO_ADJUSTMENT: FeeAdjustmentDraft = { on: false, charge: '', reason: '' };

export type FeeAdjustmentErrors = Partial<Record<'charge' | 'reason', string>>;

/** Checks the draft: an amount below the tariff (0 waives it) and a reason. The adjustment to send, or the problems. */
export function checkFeeAdjustment(draft: FeeAdjustmentDraft, fee: StepFee, t: TFunction): { adjustment?: FeeAdjustment; errors: FeeAdjustmentErrors } {
  if (!draft.on) return { errors: {} };
  const errors: FeeAdjustmentErrors = {};
  const charge = normaliseAmount(draft.charge);
  if (!draft.charge.trim()) errors.charge = t('form.required');
  else if (charge === null) errors.charge = t('finance.amountInvalid');
  else if (toMinor(charge) >= toMinor(fee.total)) errors.charge = t('finance.stepFee.notLower', { amount: formatMoney(fee.total, fee.currency, currentLanguage()) });
  if (!draft.reason.trim()) errors.reason = t('finance.stepFee.reasonRequired');
  if (Object.keys(errors).length > 0 || charge === null) return { errors };
  return { adjustment: { charge, reason: draft.reason.trim() }, errors };
}

/** "Reduce or waive the fee": optional; the amount to charge instead and the reason (required, goes on the invoice). */
export function FeeAdjustmentFields({ fee, draft, onChange, errors }: {
  fee: StepFee;
  draft: FeeAdjustmentDraft;
  onChange: (draft: FeeAdjustmentDraft) => void;
  errors: FeeAdjustmentErrors;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="mf-fieldset mf-fee-adjust" data-testid="fee-adjustment">
      <legend className="sr-only">{t('finance.stepFee.adjustLegend')}</legend>
      <Checkbox name="adjustFee" label={t('finance.stepFee.adjust')} description={t('finance.stepFee.adjustHint')} checked={draft.on}
        onChange={(event) => { onChange({ ...draft, on: event.currentTarget.checked }); }} data-testid="fee-adjust-toggle" />
      {draft.on ? (
        <Stack gap="sm" mt="sm">
          <TextInput name="feeCharge" inputMode="decimal" label={t('finance.stepFee.charge', { currency: fee.currency })}
            description={t('finance.stepFee.chargeHint', { amount: formatMoney(fee.total, fee.currency, currentLanguage()) })}
            required withAsterisk value={draft.charge} onChange={(event) => { onChange({ ...draft, charge: event.currentTarget.value }); }}
            error={errors.charge} data-testid="fee-charge" />
          <Textarea name="feeReason" label={t('finance.stepFee.reason')} description={t('finance.stepFee.reasonHint')} autosize minRows={2} maxLength={500}
            required withAsterisk value={draft.reason} onChange={(event) => { onChange({ ...draft, reason: event.currentTarget.value }); }}
            error={errors.reason} data-testid="fee-reason" />
        </Stack>
      ) : null}
    </fieldset>
  );
}
