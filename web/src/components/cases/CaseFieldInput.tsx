import { NativeSelect, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, FieldDefinition } from '../../api/cases';
import { currentLanguage } from '../../i18n';
import { categoryName } from '../../lib/permits';
import { ISO_DATE_RE } from '../register/common';
import { usePermitCategories } from '../register/personQueries';
import { localText } from './common';

/** Common European Framework of Reference levels (language proofs for permits and naturalisation). */
export const LANGUAGE_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2'] as const;

export function fieldName(detail: Pick<CaseDetail, 'fieldDefinitions'>, id: string): string {
  const definition = detail.fieldDefinitions.find((d) => d.id === id);
  return definition ? localText(definition.names) : id;
}

export function checklistName(detail: Pick<CaseDetail, 'checklist'>, id: string): string {
  const item = detail.checklist.find((i) => i.id === id);
  return item ? localText(item.names) : id;
}

/** Checks what the browser can check; the server decides the rest. */
export function validateFieldValue(definition: FieldDefinition, value: string, t: TFunction): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (definition.type === 'date' && !ISO_DATE_RE.test(trimmed)) return t('form.date');
  if (definition.type === 'amount') {
    const amount = Number(trimmed);
    if (!Number.isFinite(amount) || amount < 0) return t('cases.fields.amountInvalid');
    if (definition.max !== undefined && amount > definition.max) return t('cases.fields.amountMax', { max: definition.max });
  }
  return undefined;
}

/** One case field as the input its type needs: a date, an amount, a permit category, a language level or text. */
export function CaseFieldInput({ definition, value, onChange, error, testIdPrefix, required = false, disabled = false }: {
  definition: FieldDefinition;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  testIdPrefix: string;
  required?: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const categories = usePermitCategories(definition.type === 'permit-category');
  const label = localText(definition.names, language);
  const common = {
    name: definition.id,
    label,
    error,
    disabled,
    required,
    withAsterisk: required,
    'data-testid': `${testIdPrefix}${definition.id}`,
  };
  switch (definition.type) {
    case 'date':
      return <TextInput {...common} type="date" value={value} onChange={(event) => { onChange(event.currentTarget.value); }} />;
    case 'amount':
      return (
        <TextInput {...common} type="number" inputMode="decimal" min={0} step="0.01" max={definition.max} value={value}
          description={definition.max !== undefined ? t('cases.fields.amountHint', { max: definition.max }) : t('cases.fields.amountCurrency')}
          onChange={(event) => { onChange(event.currentTarget.value); }} />
      );
    case 'permit-category': {
      const list = (categories.data ?? []).filter((c) => c.active || c.code === value);
      return (
        <NativeSelect {...common} value={value} onChange={(event) => { onChange(event.currentTarget.value); }}>
          <option value="">{t('form.chooseOption')}</option>
          {list.map((c) => <option key={c.code} value={c.code}>{categoryName(c.code, categories.data, language)}</option>)}
          {value && !list.some((c) => c.code === value) ? <option value={value}>{value}</option> : null}
        </NativeSelect>
      );
    }
    case 'language-level':
      return (
        <NativeSelect {...common} value={value} description={t('cases.fields.languageLevelHint')}
          onChange={(event) => { onChange(event.currentTarget.value); }}>
          <option value="">{t('form.chooseOption')}</option>
          {LANGUAGE_LEVELS.map((level) => <option key={level} value={level}>{level}</option>)}
        </NativeSelect>
      );
    default:
      return <TextInput {...common} value={value} autoComplete="off" onChange={(event) => { onChange(event.currentTarget.value); }} />;
  }
}
