import { Alert, Modal, NativeSelect, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { fetchPartners, INBOX_STATUSES, OUTBOX_STATUSES, type ExchangePartner, type InboxStatus, type OutboxStatus } from '../../api/exchange';
import { isVersionConflict, refusalText } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { VersionConflictAlert } from '../VersionConflictAlert';
import { useIsPhone } from '../register/common';

export const PARTNERS_KEY = ['exchange', 'partners'] as const;
export const INBOX_KEY = ['exchange', 'inbox'] as const;
export const OUTBOX_KEY = ['exchange', 'outbox'] as const;

/** The office's partners (for names and the partner filter). */
export function usePartners() {
  return useQuery({ queryKey: PARTNERS_KEY, queryFn: ({ signal }) => fetchPartners(signal), staleTime: 60_000 });
}

const EVENT_KEYS = [
  'baseDelivery', 'moveIn', 'birth', 'move', 'moveOut', 'changeName', 'correctName', 'marriage', 'partnership', 'divorce', 'undoPartnership',
  'undoMarriage', 'correctMaritalInfo', 'changeNationality', 'correctNationality', 'naturalizeForeigner', 'death', 'changeResidencePermit',
  'correctResidencePermit', 'correctIdentification', 'correctBirthInfo', 'negativeReport', 'tenancyReport',
] as const;
type EventKey = (typeof EVENT_KEYS)[number];

function isEventKey(value: string): value is EventKey {
  return (EVENT_KEYS as readonly string[]).includes(value);
}

/** An eCH-0020 event in plain words ("Zuzug"); an event the UI does not know keeps its name. */
export function eventLabel(type: string | null, t: TFunction): string {
  if (!type) return t('exchange.events.unknown');
  return isEventKey(type) ? t(`exchange.events.${type}`) : type;
}

export function isInboxStatus(value: unknown): value is InboxStatus {
  return typeof value === 'string' && (INBOX_STATUSES as readonly string[]).includes(value);
}

export function isOutboxStatus(value: unknown): value is OutboxStatus {
  return typeof value === 'string' && (OUTBOX_STATUSES as readonly string[]).includes(value);
}

/** A status in words, as a tag; the ones that need someone's attention stand out (not by colour alone: the word says it). */
export function InboxStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={status === 'quarantined' ? 'mf-tag mf-tag--alert' : status === 'applied' ? 'mf-tag mf-tag--current' : 'mf-tag'} data-status={status}>
      {isInboxStatus(status) ? t(`exchange.inboxStatus.${status}`) : status}
    </span>
  );
}

export function OutboxStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <span className={status === 'failed' ? 'mf-tag mf-tag--alert' : status === 'acknowledged' ? 'mf-tag mf-tag--current' : 'mf-tag'} data-status={status}>
      {isOutboxStatus(status) ? t(`exchange.outboxStatus.${status}`) : status}
    </span>
  );
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The partner filter of the address (?partner=…), when it is a well-formed id (else the API would answer 400). */
export function partnerParam(params: URLSearchParams): string | undefined {
  const value = params.get('partner') ?? '';
  return UUID_RE.test(value) ? value : undefined;
}

/** The partner filter: every partner of the office, by name. */
export function PartnerSelect({ value, onChange, partners }: { value: string; onChange: (value: string) => void; partners: readonly ExchangePartner[] | undefined }) {
  const { t } = useTranslation();
  return (
    <NativeSelect name="partner" size="sm" label={t('exchange.filters.partner')} value={value} onChange={(event) => { onChange(event.currentTarget.value); }}>
      <option value="">{t('exchange.filters.allPartners')}</option>
      {(partners ?? []).map((partner) => (
        <option key={partner.id} value={partner.id}>{partner.name}</option>
      ))}
    </NativeSelect>
  );
}

/** Screen-reader-only context for a button in a table row ("Reject (message from …)"); the visible label stays first. */
export function RowContext({ children }: { children: ReactNode }) {
  return <span className="sr-only"> {children}</span>;
}

/** Links to the persons a message is about. */
export function PersonLinks({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  if (ids.length === 0) return null;
  if (ids.length === 1) return <Link to={`/persons/${encodeURIComponent(ids[0]!)}`}>{t('exchange.common.personLinkOne')}</Link>;
  return (
    <ul className="mf-plain-list">
      {ids.map((id, index) => (
        <li key={id}><Link to={`/persons/${encodeURIComponent(id)}`}>{t('exchange.common.personLink', { n: index + 1 })}</Link></li>
      ))}
    </ul>
  );
}

/**
 * A refused or failed action on a message or partner: a version conflict (someone else was
 * quicker) with a reload, the API's sentence for another refusal, or the generic error.
 */
export function ActionProblem({ error, conflictTitle, conflictBody, reload }: { error: unknown; conflictTitle: string; conflictBody: string; reload: () => Promise<void> }) {
  if (!error) return null;
  // "Not (or no longer) in quarantine" is the same situation in other words: the list is out of date.
  if (isVersionConflict(error) || (isApiError(error) && error.code === 'exchange-not-quarantined')) {
    return <VersionConflictAlert title={conflictTitle} body={isApiError(error) && error.code === 'exchange-not-quarantined' ? `${refusalText(error) ?? ''} ${conflictBody}` : conflictBody} reload={reload} />;
  }
  const refusal = refusalText(error);
  if (refusal) {
    return (
      <Alert color="accent" variant="light" role="alert" data-testid="exchange-refused" data-code={isApiError(error) ? error.code : undefined}>
        <Text size="sm">{refusal}</Text>
      </Alert>
    );
  }
  return <ErrorState error={error} />;
}

/** The dialogs of the exchange pages: full screen on phones, a named close button. */
export function ExchangeDialog({ opened, onClose, title, children, size = 'lg' }: { opened: boolean; onClose: () => void; title: string; children: ReactNode; size?: string }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} fullScreen={isPhone}
      closeButtonProps={{ 'aria-label': t('common.close') }} classNames={{ title: 'mf-dialog-title' }}>
      {children}
    </Modal>
  );
}
