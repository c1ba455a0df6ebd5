import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookSlot, cancelBooking, fetchInvitation, rescheduleBooking, type Booking, type Slot } from '../api/appointments';
import { isApiError } from '../api/client';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { currentLanguage, intlLocale, type Language } from '../i18n';
import { usePageTitle } from '../lib/usePageTitle';
import { FocusedHeading, useTokenFromUrl } from './portal/shared';

/** How far ahead the page lists free times (the server allows six weeks at most). */
const WEEKS_AHEAD = 4;

type Done = { kind: 'booked' | 'rescheduled' | 'cancelled'; booking: Booking };

function isoDay(date: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** Dates and times at the place of the appointment, in the reader's language. */
function formatters(language: Language, timeZone: string) {
  const locale = intlLocale(language);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'long', year: 'numeric', timeZone });
  return {
    day: (iso: string) => day.format(new Date(iso)),
    time: (iso: string) => time.format(new Date(iso)),
    date: (iso: string) => date.format(new Date(iso)),
  };
}

/** The free slots grouped by local day, in time order. */
function byDay(slots: readonly Slot[], timeZone: string): { day: string; slots: Slot[] }[] {
  const days = new Map<string, Slot[]>();
  for (const slot of [...slots].sort((a, b) => a.start.localeCompare(b.start))) {
    const key = isoDay(new Date(slot.start), timeZone);
    const list = days.get(key) ?? [];
    list.push(slot);
    days.set(key, list);
  }
  return [...days].map(([day, list]) => ({ day, slots: list }));
}

/**
 * The link of an appointment invitation: the token comes from the address once and stays in
 * memory; the API gets it in a header. Shows the invitation, the current appointment and the free
 * times, and books, moves or cancels the appointment.
 */
export function AppointmentBookingPage() {
  const { t } = useTranslation();
  usePageTitle(t('booking.title'));
  const token = useTokenFromUrl();
  const language = currentLanguage();
  const [to] = useState(() => isoDay(addDays(new Date(), WEEKS_AHEAD * 7 - 1), Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [choosing, setChoosing] = useState(false);
  const [selected, setSelected] = useState<Slot | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const view = useQuery({
    queryKey: ['appointment-invitation', to],
    queryFn: ({ signal }) => fetchInvitation(token ?? '', { to }, signal),
    enabled: token !== null,
    retry: false,
    refetchOnWindowFocus: false,
  });

  const onRefused = (error: unknown) => {
    if (!isApiError(error) || error.isUnexpected) return;
    setSelected(null);
    setNotice(error.code === 'slot-taken' ? t('booking.slotTaken') : error.problem.detail || error.problem.title);
    void view.refetch();
  };

  const book = useMutation({
    mutationFn: ({ start, move }: { start: string; move: boolean }) => (move ? rescheduleBooking(token ?? '', start) : bookSlot(token ?? '', start)),
    onSuccess: (booking, { move }) => {
      setDone({ kind: move ? 'rescheduled' : 'booked', booking });
      setSelected(null);
      setChoosing(false);
      setNotice(null);
      void view.refetch();
    },
    onError: onRefused,
  });
  const cancel = useMutation({
    mutationFn: () => cancelBooking(token ?? ''),
    onSuccess: (booking) => {
      setDone({ kind: 'cancelled', booking });
      setConfirmCancel(false);
      setNotice(null);
      void view.refetch();
    },
    onError: (error) => {
      setConfirmCancel(false);
      onRefused(error);
    },
  });

  const data = view.data;
  const timeZone = data?.invitation.servicePoint.timeZone ?? 'Europe/Zurich';
  const format = useMemo(() => formatters(language, timeZone), [language, timeZone]);
  const days = useMemo(() => byDay(data?.slots ?? [], timeZone), [data?.slots, timeZone]);

  if (!token) {
    return (
      <Stack gap="md">
        <Title order={1}>{t('booking.title')}</Title>
        <Alert color="accent" variant="light" role="alert" title={t('booking.noToken.title')} data-testid="booking-no-token">
          {t('booking.noToken.body')}
        </Alert>
      </Stack>
    );
  }
  if (view.isPending) return <Loading />;
  if (view.isError) {
    const error = view.error;
    const refused = isApiError(error) && (error.code === 'invitation-expired' || error.code === 'invitation-invalid');
    return (
      <Stack gap="md">
        <Title order={1}>{t('booking.title')}</Title>
        {refused ? (
          <Alert color="accent" variant="light" role="alert" title={t(`booking.problems.${error.code === 'invitation-expired' ? 'expired' : 'invalid'}`)} data-testid="booking-refused" data-code={error.code}>
            {error.problem.detail || t('booking.problems.contact')}
          </Alert>
        ) : (
          <ErrorState error={error} onRetry={() => void view.refetch()} />
        )}
      </Stack>
    );
  }

  const { invitation, booking } = view.data;
  const serviceName = invitation.service.names[language] ?? invitation.service.names.de ?? invitation.service.slug;
  const place = invitation.servicePoint;
  const current = booking?.status === 'booked' ? booking : null;
  const showSlots = !current || choosing;
  const pending = book.isPending || cancel.isPending;

  if (done && done.kind !== 'cancelled') {
    return (
      <div className="mf-panel" role="status" aria-live="polite" data-testid="booking-confirmation">
        <Stack gap="md">
          <FocusedHeading>{t(done.kind === 'booked' ? 'booking.done.bookedTitle' : 'booking.done.movedTitle')}</FocusedHeading>
          <dl className="mf-facts-list">
            <dt>{t('booking.facts.date')}</dt>
            <dd data-testid="confirmed-date">{format.day(done.booking.start)}</dd>
            <dt>{t('booking.facts.time')}</dt>
            <dd data-testid="confirmed-time">{t('booking.timeRange', { start: format.time(done.booking.start), end: format.time(done.booking.end) })}</dd>
            <dt>{t('booking.facts.service')}</dt>
            <dd>{serviceName}</dd>
            <dt>{t('booking.facts.place')}</dt>
            <dd>
              {place.name}
              <br />
              {place.address}
            </dd>
          </dl>
          <Text>{t('booking.done.mailed')}</Text>
          <Text>{t('booking.done.change')}</Text>
          <div>
            <Button variant="default" onClick={() => { setDone(null); }} data-testid="booking-back">
              {t('booking.done.back')}
            </Button>
          </div>
        </Stack>
      </div>
    );
  }

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={1}>{t('booking.title')}</Title>
        <Text>{t('booking.intro')}</Text>
      </Stack>

      <section className="mf-panel" aria-labelledby="booking-invitation">
        <Stack gap="sm">
          <Title order={2} size="h3" id="booking-invitation">{t('booking.invitation')}</Title>
          <dl className="mf-facts-list" data-testid="booking-invitation">
            <dt>{t('booking.facts.service')}</dt>
            <dd>{t('booking.serviceLength', { service: serviceName, minutes: invitation.service.slotMinutes })}</dd>
            <dt>{t('booking.facts.place')}</dt>
            <dd>
              {place.name}
              <br />
              {place.address}
            </dd>
            <dt>{t('booking.facts.validUntil')}</dt>
            <dd>{format.date(invitation.validUntil)}</dd>
          </dl>
        </Stack>
      </section>

      <div aria-live="polite" data-testid="booking-live">
        {notice ? (
          <Alert color="accent" variant="light" role="alert" data-testid="booking-notice" withCloseButton closeButtonLabel={t('booking.closeNotice')} onClose={() => { setNotice(null); }}>
            {notice}
          </Alert>
        ) : null}
        {done?.kind === 'cancelled' ? (
          <Alert color="green" variant="light" role="status" title={t('booking.done.cancelledTitle')} data-testid="booking-cancelled">
            {t('booking.done.cancelledBody', { date: format.day(done.booking.start), time: format.time(done.booking.start) })}
          </Alert>
        ) : null}
      </div>
      {book.error && (!isApiError(book.error) || book.error.isUnexpected) ? <ErrorState error={book.error} /> : null}
      {cancel.error && (!isApiError(cancel.error) || cancel.error.isUnexpected) ? <ErrorState error={cancel.error} /> : null}

      {current ? (
        <section className="mf-panel" aria-labelledby="booking-current" data-testid="booking-current">
          <Stack gap="sm">
            <Title order={2} size="h3" id="booking-current">{t('booking.current')}</Title>
            <dl className="mf-facts-list">
              <dt>{t('booking.facts.date')}</dt>
              <dd>{format.day(current.start)}</dd>
              <dt>{t('booking.facts.time')}</dt>
              <dd>{t('booking.timeRange', { start: format.time(current.start), end: format.time(current.end) })}</dd>
            </dl>
            {confirmCancel ? (
              <Stack gap="xs" data-testid="cancel-confirm">
                <Text fw={600}>{t('booking.cancelQuestion')}</Text>
                <Group gap="sm">
                  <Button color="accent" onClick={() => { cancel.mutate(); }} loading={cancel.isPending} data-testid="cancel-yes">
                    {t('booking.cancelYes')}
                  </Button>
                  <Button variant="default" onClick={() => { setConfirmCancel(false); }} disabled={pending}>
                    {t('booking.cancelNo')}
                  </Button>
                </Group>
              </Stack>
            ) : (
              <Group gap="sm">
                {choosing ? (
                  <Button variant="default" onClick={() => { setChoosing(false); setSelected(null); }}>
                    {t('booking.keep')}
                  </Button>
                ) : (
                  <Button variant="default" onClick={() => { setChoosing(true); setNotice(null); }} data-testid="reschedule">
                    {t('booking.reschedule')}
                  </Button>
                )}
                <Button variant="subtle" color="accent" onClick={() => { setConfirmCancel(true); }} data-testid="cancel-booking">
                  {t('booking.cancel')}
                </Button>
              </Group>
            )}
          </Stack>
        </section>
      ) : null}

      {showSlots ? (
        <section aria-labelledby="booking-slots">
          <Stack gap="sm">
            <Title order={2} size="h3" id="booking-slots">{current ? t('booking.slotsMove') : t('booking.slots')}</Title>
            {selected ? (
              <div className="mf-panel" data-testid="slot-confirm">
                <Stack gap="sm">
                  <Text fw={600}>{t(current ? 'booking.confirmMove' : 'booking.confirmBook', { date: format.day(selected.start), time: format.time(selected.start), place: place.name })}</Text>
                  <Group gap="sm">
                    <Button onClick={() => { book.mutate({ start: selected.start, move: current !== null }); }} loading={book.isPending} data-testid="slot-book">
                      {current ? t('booking.moveSubmit') : t('booking.bookSubmit')}
                    </Button>
                    <Button variant="default" onClick={() => { setSelected(null); }} disabled={pending}>
                      {t('booking.otherTime')}
                    </Button>
                  </Group>
                </Stack>
              </div>
            ) : days.length === 0 ? (
              <Text data-testid="no-slots">{t('booking.noSlots')}</Text>
            ) : (
              <>
                <Text size="sm">{t('booking.slotsHint', { timeZone })}</Text>
                <ul className="mf-slot-days" data-testid="slot-days">
                  {days.map((entry, index) => (
                    <li key={entry.day}>
                      <details className="mf-slot-day" open={index === 0}>
                        <summary>
                          {format.day(entry.slots[0]?.start ?? entry.day)}{' '}
                          <Text span size="sm" c="dimmed">{t('booking.freeCount', { count: entry.slots.length })}</Text>
                        </summary>
                        <ul className="mf-slot-times">
                          {entry.slots.map((slot) => (
                            <li key={slot.start}>
                              <Button
                                variant="default"
                                onClick={() => { setSelected(slot); setNotice(null); }}
                                aria-label={t('booking.slotLabel', { date: format.day(slot.start), time: format.time(slot.start) })}
                                data-testid="slot"
                                data-start={slot.start}
                              >
                                {format.time(slot.start)}
                              </Button>
                            </li>
                          ))}
                        </ul>
                      </details>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Stack>
        </section>
      ) : null}
    </Stack>
  );
}
