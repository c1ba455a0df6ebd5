import { Alert, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { fetchDayView, fetchServicePoints, markAppointment, type AppointmentMark, type AppointmentStatus, type DayAppointment, type DayView, type ServicePoint } from '../api/appointments';
import { isApiError } from '../api/client';
import { useCan } from '../auth/permissions';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { RequirePermission } from '../components/RequirePermission';
import { VersionConflictAlert } from '../components/VersionConflictAlert';
import { currentLanguage, intlLocale, type Language } from '../i18n';
import { addToIsoDate, formatRegisterDate } from '../lib/format';
import { refusalText } from '../lib/problems';
import { usePageTitle } from '../lib/usePageTitle';

/** The service point chosen last, so that a clerk at the same counter finds it chosen every morning. */
const STORED_POINT_KEY = 'migraflow.appointmentDay.servicePoint';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function readStoredPoint(): string | null {
  try {
    return window.localStorage.getItem(STORED_POINT_KEY);
  } catch {
    return null; // storage disabled (private mode, policy): the first service point is chosen
  }
}

function storePoint(id: string): void {
  try {
    window.localStorage.setItem(STORED_POINT_KEY, id);
  } catch {
    // Not remembered, but the choice holds for this visit (it is in the address too).
  }
}

/** Today at the service point (en-CA formats as YYYY-MM-DD): its day, not the browser's, decides which bookings are "today". */
function todayAt(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The chosen point: the address's, else the remembered one, else the first in use. */
function choosePoint(points: readonly ServicePoint[], wanted: string | null): ServicePoint | null {
  return points.find((p) => p.id === wanted) ?? points.find((p) => p.id === readStoredPoint()) ?? points.find((p) => p.active) ?? points[0] ?? null;
}

const dayKey = (pointId: string, date: string) => ['appointments', 'day', pointId, date] as const;

const STATUS_KEYS = { booked: 'booked', 'checked-in': 'checkedIn', 'no-show': 'noShow', cancelled: 'cancelled' } as const;

/**
 * The status as a tag with its word (never colour alone). Checked-in borrows the success notice's
 * colours (.mf-alert-success), whose contrast is already checked; the others use the shared tags.
 */
const STATUS_CLASS: Record<AppointmentStatus, string> = { booked: 'mf-tag mf-tag--current', 'checked-in': 'mf-tag', 'no-show': 'mf-tag mf-tag--alert', cancelled: 'mf-tag' };
const STATUS_STYLE: Partial<Record<AppointmentStatus, CSSProperties>> = { 'checked-in': { borderColor: '#0b5c41', background: '#e8f5ee', color: '#0b5c41' } };

function StatusTag({ status }: { status: AppointmentStatus }) {
  const { t } = useTranslation();
  return (
    <span className={STATUS_CLASS[status]} style={{ marginInlineStart: 0, ...STATUS_STYLE[status] }} data-testid="appointment-status" data-status={status}>
      {t(`appointmentDay.status.${STATUS_KEYS[status]}`)}
    </span>
  );
}

/** Times at the service point, the day heading from the date alone (no time zone can shift it). */
function formatters(language: Language, timeZone: string) {
  const locale = intlLocale(language);
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone });
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return {
    time: (iso: string) => time.format(new Date(iso)),
    day: (date: string) => day.format(new Date(`${date}T12:00:00Z`)),
  };
}

type Formatters = ReturnType<typeof formatters>;

const personName = (person: NonNullable<DayAppointment['person']>) => `${person.firstNames} ${person.officialName}`.trim();

export function AppointmentDayPage() {
  return (
    <RequirePermission permission="appointments:read">
      <AppointmentDay />
    </RequirePermission>
  );
}

function AppointmentDay() {
  const { t } = useTranslation();
  usePageTitle(t('appointmentDay.title'));
  const [searchParams, setSearchParams] = useSearchParams();
  const points = useQuery({ queryKey: ['appointments', 'service-points'], queryFn: ({ signal }) => fetchServicePoints(signal) });
  const point = points.data ? choosePoint(points.data, searchParams.get('servicePoint')) : null;
  const pointId = point?.id ?? null;
  // Remember the point shown, however it was chosen (the list, a link, a bookmark).
  useEffect(() => {
    if (pointId) storePoint(pointId);
  }, [pointId]);

  const header = (
    <Stack gap="xs">
      <Title order={1}>{t('appointmentDay.title')}</Title>
      <Text>{t('appointmentDay.intro')}</Text>
    </Stack>
  );
  if (points.isPending) return <Stack gap="md">{header}<Loading /></Stack>;
  if (points.isError) return <Stack gap="md">{header}<ErrorState error={points.error} onRetry={() => void points.refetch()} /></Stack>;
  if (!point) {
    return (
      <Stack gap="md">
        {header}
        <div className="mf-panel" data-testid="appointment-day-no-points"><Text>{t('appointmentDay.noServicePoints')}</Text></div>
      </Stack>
    );
  }
  const wantedDate = searchParams.get('date') ?? '';
  const date = ISO_DATE.test(wantedDate) ? wantedDate : todayAt(point.timeZone);

  const setParams = (changes: Record<string, string>) => {
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) next.set(key, value);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  };

  return (
    <Stack gap="md">
      {header}
      <DayChooser points={points.data} point={point} date={date}
        onPoint={(id) => { setParams({ servicePoint: id }); }}
        onDate={(value) => { setParams({ servicePoint: point.id, date: value }); }} />
      {/* A new key per point and day: notices of one day do not linger on the next. */}
      <DayList key={`${point.id}/${date}`} point={point} date={date} />
    </Stack>
  );
}

function DayChooser({ points, point, date, onPoint, onDate }: {
  points: readonly ServicePoint[];
  point: ServicePoint;
  date: string;
  onPoint: (id: string) => void;
  onDate: (date: string) => void;
}) {
  const { t } = useTranslation();
  // The typed text while it is not a whole date yet: a controlled date field reset to the last
  // whole date on every keystroke could not be typed into.
  const [draft, setDraft] = useState<string | null>(null);
  const shift = (days: number) => {
    const next = addToIsoDate(date, { days });
    if (next) {
      setDraft(null);
      onDate(next);
    }
  };
  return (
    <div className="mf-panel mf-filter-bar" role="group" aria-label={t('appointmentDay.choose')} data-testid="appointment-day-chooser">
      <NativeSelect name="servicePoint" label={t('appointmentDay.servicePoint')} value={point.id}
        onChange={(event) => { onPoint(event.currentTarget.value); }}>
        {points.map((p) => <option key={p.id} value={p.id}>{p.active ? p.name : t('appointmentDay.inactive', { name: p.name })}</option>)}
      </NativeSelect>
      <TextInput type="date" name="date" label={t('appointmentDay.date')} value={draft ?? date}
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (ISO_DATE.test(value)) {
            setDraft(null);
            onDate(value);
          } else {
            setDraft(value);
          }
        }}
        onBlur={() => { setDraft(null); }} />
      <Group gap="xs" wrap="wrap">
        {/* Previous and next side by side (they fit a phone's width together); today after them. */}
        <Button variant="default" onClick={() => { shift(-1); }} data-testid="appointment-day-previous">{t('appointmentDay.previousDay')}</Button>
        <Button variant="default" onClick={() => { shift(1); }} data-testid="appointment-day-next">{t('appointmentDay.nextDay')}</Button>
        <Button variant="default" onClick={() => { setDraft(null); onDate(todayAt(point.timeZone)); }} data-testid="appointment-day-today">{t('appointmentDay.today')}</Button>
      </Group>
    </div>
  );
}

/** A refusal of "checked in" / "did not come": a conflict (someone else was quicker), a refusal in the API's words, or an unexpected failure. */
function isConflict(error: unknown): boolean {
  return isApiError(error) && (error.status === 409 || error.status === 412);
}

function DayList({ point, date }: { point: ServicePoint; date: string }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const queryClient = useQueryClient();
  const canWrite = useCan('appointments:write');
  const headingId = useId();
  const noticeRef = useRef<HTMLDivElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const [notice, setNotice] = useState('');
  const [problem, setProblem] = useState<unknown>(null);

  // Every read of the day is audited (it lists personal data), so it loads when asked, not on a timer.
  const day = useQuery({ queryKey: dayKey(point.id, date), queryFn: ({ signal }) => fetchDayView(point.id, date, signal) });
  const timeZone = day.data?.servicePoint.timeZone ?? point.timeZone;
  const format = useMemo(() => formatters(language, timeZone), [language, timeZone]);

  // Thrown on failure, so that the conflict notice stays and says the reload failed.
  const reload = async () => {
    const result = await day.refetch();
    if (result.isError) throw result.error;
    setProblem(null);
  };

  const mark = useMutation({
    mutationFn: ({ appointment, kind }: { appointment: DayAppointment; kind: AppointmentMark }) => markAppointment(appointment.id, appointment.version, kind),
    onSuccess: (booking, { appointment, kind }) => {
      // The answer is the booking itself: take its status and version, no second (audited) read.
      queryClient.setQueryData<DayView>(dayKey(point.id, date), (old) =>
        old ? { ...old, appointments: old.appointments.map((a) => (a.id === booking.id ? { ...a, status: booking.status, version: booking.version } : a)) } : old,
      );
      const name = appointment.person ? personName(appointment.person) : '';
      setProblem(null);
      setNotice(t(kind === 'check-in' ? 'appointmentDay.checkInDone' : 'appointmentDay.noShowDone', { name }));
      // The pressed button is gone with the booked state: the outcome takes the focus.
      requestAnimationFrame(() => noticeRef.current?.focus());
    },
    onError: (error) => {
      setNotice('');
      setProblem(error);
      // What was refused is stale: load the day again, so that its buttons match the booking now.
      if (isApiError(error) && !error.isUnexpected) void day.refetch();
      requestAnimationFrame(() => problemRef.current?.focus());
    },
  });

  const closure = point.closures.find((c) => c.date === date);
  const appointments = day.data?.appointments ?? [];
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  return (
    <section aria-labelledby={headingId} data-testid="appointment-day">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
          <div>
            <Title order={2} id={headingId} data-testid="appointment-day-heading">{t('appointmentDay.dayHeading', { date: format.day(date), place: point.name })}</Title>
            <Text size="sm" c="dimmed">{point.address}</Text>
            {browserZone !== timeZone ? <Text size="sm" c="dimmed">{t('appointmentDay.timeZoneHint', { timeZone })}</Text> : null}
          </div>
          <Button variant="default" onClick={() => { setNotice(''); void reload().catch(() => undefined); }} loading={day.isFetching && !day.isPending}
            disabled={day.isPending} data-testid="appointment-day-refresh">
            {t('appointmentDay.refresh')}
          </Button>
        </Group>
        {closure ? (
          <Alert color="accent" variant="light" data-testid="appointment-day-closed">
            {closure.reason ? t('appointmentDay.closedReason', { reason: closure.reason }) : t('appointmentDay.closed')}
          </Alert>
        ) : null}

        {/* One block, so that the two (mostly empty) regions take one gap of the stack, not two. */}
        <div>
          <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined} data-testid="appointment-day-notice">
            {notice}
          </div>
          <div ref={problemRef} tabIndex={-1}>
            <MarkProblem error={problem} reload={reload} />
          </div>
        </div>

        {day.isPending ? <Loading /> : null}
        {day.isError ? <ErrorState error={day.error} onRetry={() => void day.refetch()} /> : null}
        <div role="status" aria-live="polite" data-testid="appointment-day-count">
          {day.data ? (
            appointments.length === 0 ? (
              <div className="mf-panel" data-testid="appointment-day-empty"><Text>{t('appointmentDay.none')}</Text></div>
            ) : (
              <Text>{t('appointmentDay.count', { count: appointments.length })}</Text>
            )
          ) : null}
        </div>
        {appointments.length > 0 ? (
          <ul className="mf-plain-list" aria-label={t('appointmentDay.listLabel')} aria-busy={day.isFetching || undefined}
            style={{ display: 'grid', gap: 'var(--mantine-spacing-sm)' }} data-testid="appointment-list">
            {appointments.map((appointment) => (
              <AppointmentCard key={appointment.id} appointment={appointment} format={format} language={language} canWrite={canWrite}
                busy={mark.isPending && mark.variables.appointment.id === appointment.id ? mark.variables.kind : null}
                disabled={mark.isPending}
                onMark={(kind) => { setNotice(''); setProblem(null); mark.mutate({ appointment, kind }); }} />
            ))}
          </ul>
        ) : null}
      </Stack>
    </section>
  );
}

function MarkProblem({ error, reload }: { error: unknown; reload: () => Promise<void> }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (isConflict(error)) return <VersionConflictAlert title={t('appointmentDay.conflict.title')} body={t('appointmentDay.conflict.body')} reload={reload} />;
  const refusal = refusalText(error);
  if (refusal) {
    return (
      <Alert color="accent" variant="light" role="alert" title={t('appointmentDay.notDone')} data-testid="appointment-day-refused" data-code={isApiError(error) ? error.code : undefined}>
        <Text size="sm">{refusal}</Text>
      </Alert>
    );
  }
  return <ErrorState error={error} />;
}

function AppointmentCard({ appointment, format, language, canWrite, busy, disabled, onMark }: {
  appointment: DayAppointment;
  format: Formatters;
  language: Language;
  canWrite: boolean;
  busy: AppointmentMark | null;
  disabled: boolean;
  onMark: (kind: AppointmentMark) => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const { person } = appointment;
  const start = format.time(appointment.start);
  const serviceName = appointment.service.names[language] ?? appointment.service.names.de ?? appointment.service.slug;
  // Only a booked appointment can be marked, and only for someone who may see the person (the API refuses the others).
  const markable = canWrite && appointment.status === 'booked' && person !== null;
  const context = person ? t('appointmentDay.rowContext', { name: personName(person), time: start }) : '';
  return (
    <li className="mf-panel" aria-labelledby={headingId} data-testid="appointment" data-appointment-id={appointment.id} data-status={appointment.status}>
      <Stack gap={6}>
        <Group justify="space-between" align="center" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={headingId}>
            <time dateTime={appointment.start}>{t('appointmentDay.timeRange', { start, end: format.time(appointment.end) })}</time>
            {' · '}
            {t('appointmentDay.counter', { counter: appointment.counter })}
          </Title>
          <StatusTag status={appointment.status} />
        </Group>
        {person ? (
          <div>
            <Text fw={700} size="lg" data-testid="appointment-person" style={{ overflowWrap: 'anywhere' }}>{personName(person)}</Text>
            {person.dateOfBirth ? <Text size="sm" c="dimmed">{t('appointmentDay.bornOn', { date: formatRegisterDate(person.dateOfBirth, language, t).text })}</Text> : null}
          </div>
        ) : (
          <Text c="dimmed" data-testid="appointment-person-hidden">{t('appointmentDay.personHidden')}</Text>
        )}
        <Text size="sm">{serviceName}</Text>
        {appointment.caseId ? (
          <Text size="sm">
            <Link to={`/cases/${encodeURIComponent(appointment.caseId)}`} data-testid="appointment-case-link">
              {t('appointmentDay.openCase', { reference: appointment.caseReference ?? '' }).trim()}
            </Link>
          </Text>
        ) : null}
        {markable ? (
          <Group gap="sm" wrap="wrap" mt={4}>
            <Button onClick={() => { onMark('check-in'); }} loading={busy === 'check-in'} disabled={disabled && busy !== 'check-in'} data-testid="appointment-check-in">
              {t('appointmentDay.checkIn')}<span className="sr-only"> {context}</span>
            </Button>
            <Button variant="default" onClick={() => { onMark('no-show'); }} loading={busy === 'no-show'} disabled={disabled && busy !== 'no-show'} data-testid="appointment-no-show">
              {t('appointmentDay.noShow')}<span className="sr-only"> {context}</span>
            </Button>
          </Group>
        ) : null}
      </Stack>
    </li>
  );
}
