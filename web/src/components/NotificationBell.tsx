import { Button, Popover, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchNotifications, markNotificationRead, type AppNotification } from '../api/cases';
import { useCan } from '../auth/permissions';
import { useSession } from '../auth/session';
import { currentLanguage } from '../i18n';
import { formatDate } from '../lib/format';
import { NOTIFICATIONS_KEY } from './cases/caseQueries';
import { isKnownDeadlineKind } from './register/deadlines';
import { TimestampText } from './register/common';

const SHOWN = 20;

const KINDS = ['deadline-reminder', 'deadline-due', 'deadline-escalation'] as const;
type Kind = (typeof KINDS)[number];

/** The daily digest for administrators: {day, partners: [{partner, failed}]} (exchange outbox). */
function exchangeFailures(notification: AppNotification): { day: string; partners: { partner: string; failed: number }[] } | null {
  if (notification.kind !== 'exchange-failures') return null;
  const message = (notification.message ?? {}) as Record<string, unknown>;
  const partners = Array.isArray(message.partners) ? (message.partners as unknown[]) : [];
  return {
    day: typeof message.day === 'string' ? message.day : '',
    partners: partners.flatMap((item) => {
      const entry = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
      return typeof entry.partner === 'string' && typeof entry.failed === 'number' ? [{ partner: entry.partner, failed: entry.failed }] : [];
    }),
  };
}

/** What the finance module tells (server finance/invoices.ts, deposits.ts), or null for other kinds. */
function financeText(notification: AppNotification, t: TFunction): string | null {
  const message = (notification.message ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof message[key] === 'string' || typeof message[key] === 'number' ? String(message[key]) : '');
  const language = currentLanguage();
  switch (notification.kind) {
    case 'invoice-reminded':
      return t('finance.notifications.invoice-reminded', { number: text('number'), level: text('level'), date: text('dueOn') ? formatDate(text('dueOn'), language) : '' });
    case 'invoice-collection':
      return t('finance.notifications.invoice-collection', { number: text('number'), open: text('open') });
    case 'deposit-waiver-requested':
      return t('finance.notifications.deposit-waiver-requested', { by: text('requestedBy') });
    default:
      return null;
  }
}

/** The person a finance notification is about: its invoices and deposits are in the person file. */
function financePerson(notification: AppNotification): string | null {
  if (!['invoice-reminded', 'invoice-collection', 'deposit-waiver-requested'].includes(notification.kind)) return null;
  const personId = (notification.message as Record<string, unknown> | null)?.personId;
  return typeof personId === 'string' ? personId : null;
}

function notificationText(notification: AppNotification, t: TFunction): string {
  const finance = financeText(notification, t);
  if (finance) return finance;
  // The applicant wrote through the online counter (server portal/status.ts); the link opens the case.
  if (notification.kind === 'portal-message') {
    const reference = (notification.message as Record<string, unknown> | null)?.reference;
    return t('notifications.kinds.portal-message', { reference: typeof reference === 'string' ? reference : '' });
  }
  const failures = exchangeFailures(notification);
  if (failures) {
    return t('exchange.notification', {
      count: failures.partners.reduce((sum, p) => sum + p.failed, 0),
      date: failures.day ? formatDate(failures.day, currentLanguage()) : '',
      partners: failures.partners.map((p) => t('exchange.notificationPartner', { partner: p.partner, failed: p.failed })).join(', '),
    });
  }
  const message = notification.message ?? {};
  const deadlineKind = message.deadlineKind ?? '';
  const what = isKnownDeadlineKind(deadlineKind) ? t(`deadlines.kinds.${deadlineKind}`) : deadlineKind.replace(/-/g, ' ') || message.legalBasis || '';
  const date = message.dueDate ? formatDate(message.dueDate, currentLanguage()) : '';
  if ((KINDS as readonly string[]).includes(notification.kind)) return t(`notifications.kinds.${notification.kind as Kind}`, { what, date });
  return t('notifications.kinds.other', { what: what || notification.kind, date });
}

/**
 * The unread count in the staff header, with the latest notifications (deadline reminders, due
 * notices, escalations). Loaded when the page loads and when opened, not polled: a background
 * request would keep an idle session alive.
 */
export function NotificationBell({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  // A session that must first enrol an authenticator app may call nothing else.
  const enrolling = useSession().data?.signIn?.totpEnrolmentRequired === true;
  // Administrators get the data exchange's failure digest without reading cases.
  const canCases = useCan('cases:read');
  const canExchange = useCan('exchange:read');
  const canRead = (canCases || canExchange) && !enrolling;
  const [opened, setOpened] = useState(false);
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: NOTIFICATIONS_KEY,
    queryFn: ({ signal }) => fetchNotifications(signal),
    enabled: canRead,
    staleTime: 60_000,
    retry: false,
  });
  const read = useMutation({
    mutationFn: (id: string) => markNotificationRead(id),
    onSuccess: (_result, id) => {
      queryClient.setQueryData<AppNotification[]>(NOTIFICATIONS_KEY, (previous) => previous?.map((n) => (n.id === id ? { ...n, read: true } : n)));
    },
  });
  if (!canRead || list.isError) return null;
  const items = list.data ?? [];
  const unread = items.filter((n) => !n.read).length;
  const shown = [...items].sort((a, b) => Number(a.read) - Number(b.read) || b.createdAt.localeCompare(a.createdAt)).slice(0, SHOWN);
  const label = t('notifications.label', { count: unread });

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} shadow="md" trapFocus returnFocus withinPortal>
      <Popover.Target>
        <Button variant="default" size={compact ? 'compact-xs' : 'sm'} aria-label={label} title={label} data-testid="notifications"
          data-unread={unread} aria-expanded={opened} aria-haspopup="dialog"
          onClick={() => {
            setOpened((value) => !value);
            if (!opened) void list.refetch();
          }}>
          <svg aria-hidden="true" focusable="false" className="mf-bell" width="18" height="18" viewBox="0 0 24 24" fill="none"
            stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {unread > 0 ? <span aria-hidden="true" className="mf-bell-count">{unread}</span> : null}
        </Button>
      </Popover.Target>
      <Popover.Dropdown role="dialog" aria-label={t('notifications.title')}>
        <Text fw={700} mb="xs">{t('notifications.title')}</Text>
        {shown.length === 0 ? <Text size="sm">{t('notifications.none')}</Text> : (
          <ul className="mf-plain-list mf-notification-list">
            {shown.map((notification) => {
              const caseId = notification.caseId ?? notification.message?.caseId ?? null;
              const text = notificationText(notification, t);
              const financePersonId = financePerson(notification);
              const target = financePersonId ? `/persons/${encodeURIComponent(financePersonId)}#finance`
                : caseId ? `/cases/${encodeURIComponent(caseId)}` : notification.kind === 'exchange-failures' && canExchange ? '/exchange/outbox?status=failed' : null;
              return (
                <li key={notification.id} className="mf-list-row" data-read={notification.read ? 'true' : 'false'}>
                  {!notification.read ? <span className="mf-tag mf-tag--alert">{t('notifications.new')}</span> : null}{' '}
                  {target ? (
                    <Link to={target}
                      onClick={() => {
                        setOpened(false);
                        if (!notification.read) read.mutate(notification.id);
                      }}>
                      {text}
                    </Link>
                  ) : <span>{text}</span>}
                  <div className="mf-small mf-muted">
                    <TimestampText value={notification.createdAt} />
                    {!notification.read ? (
                      <>
                        {' · '}
                        <Button variant="subtle" size="compact-xs" onClick={() => { read.mutate(notification.id); }}>
                          {t('notifications.markRead')}
                        </Button>
                      </>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
