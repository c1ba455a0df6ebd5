import { useMediaQuery } from '@mantine/hooks';
import { useEffect, useState, type ChangeEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { currentLanguage } from '../../i18n';
import { formatRegisterDate, formatTimestamp } from '../../lib/format';
import { fieldErrorsOf, withLabel } from '../../lib/problems';

/** A register date (possibly partial) in the UI locale, as <time>. */
export function DateText({ value }: { value: string | null | undefined }) {
  const { t } = useTranslation();
  if (!value) return <NotRecorded />;
  const date = formatRegisterDate(value, currentLanguage(), t);
  return date.dateTime ? <time dateTime={date.dateTime}>{date.text}</time> : <span className="mf-muted">{date.text}</span>;
}

/** A timestamp (recorded at, superseded at) in the UI locale. */
export function TimestampText({ value }: { value: string }) {
  const formatted = formatTimestamp(value, currentLanguage());
  return <time dateTime={formatted.dateTime}>{formatted.text}</time>;
}

/** A dash for screens, "not recorded" for screen readers. */
export function NotRecorded() {
  const { t } = useTranslation();
  return (
    <>
      <span aria-hidden="true" className="mf-muted">
        –
      </span>
      <span className="sr-only">{t('common.notRecorded')}</span>
    </>
  );
}

/** Value or the "not recorded" dash. */
export function Value({ children }: { children: ReactNode }) {
  if (children === null || children === undefined || children === '') return <NotRecorded />;
  return <>{children}</>;
}

/** One label–value pair of a description list. */
export function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="mf-fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        <Value>{children}</Value>
      </dd>
    </div>
  );
}

/** Phones get full-screen dialogs and smaller controls. */
export function useIsPhone(): boolean {
  return useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
}

type Values<K extends string> = Record<K, string>;

/** Plain form state: one string per field, bound to inputs by name. */
export function useFormValues<K extends string>(initial: Values<K> | (() => Values<K>)) {
  const [values, setValues] = useState<Values<K>>(initial);
  const set = (name: K, value: string) => {
    setValues((previous) => ({ ...previous, [name]: value }));
  };
  const bind = (name: K) => ({
    value: values[name],
    onChange: (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
      set(name, event.currentTarget.value);
    },
  });
  return { values, setValues, set, bind };
}

/**
 * After a failed submit (the counter goes up), moves focus to the first field marked invalid,
 * so keyboard and screen-reader users land where the fix is.
 */
export function useFocusFirstInvalid(formRef: RefObject<HTMLElement | null>, attempt: number): void {
  useEffect(() => {
    if (attempt === 0) return;
    const field = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    field?.focus();
  }, [attempt, formRef]);
}

/** Trimmed value or undefined (for optional body members). */
export function optional(value: string): string | undefined {
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Trimmed value or null (for nullable body members). */
export function orNull(value: string): string | null {
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** A whole number, undefined when empty, NaN when not a number (caught by validation). */
export function optionalInt(value: string): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const COUNTRY_CODE_RE = /^[A-Z]{2}$/;

/** AHVN13: 756 and ten digits, the last an EAN-13 check digit. Dots and spaces are allowed. */
export function isValidAhvn13(value: string): boolean {
  const digits = value.replace(/[.\s]/g, '');
  if (!/^756\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(digits[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(digits[12]);
}

/**
 * Field messages of a failed write, for display next to the fields. Schema validation answers
 * in technical English ("must match pattern …"): those become a plain message in the UI
 * language; the API's own field messages are already translated and get the label in front.
 */
export function useServerFieldErrors(error: unknown, prefix = ''): (field: string, label: string) => string | undefined {
  const { t } = useTranslation();
  const messages = fieldErrorsOf(error, prefix);
  const technical = isApiError(error) && error.code === 'validation-failed';
  return (field, label) => {
    const message = messages[field];
    if (!message) return undefined;
    if (technical) return message === 'is required' ? t('form.required') : t('form.invalidEntry');
    return withLabel(label, message);
  };
}
