import { Button, Checkbox, Group, NativeSelect, SegmentedControl, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useId, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  addCaseNote,
  addCaseTask,
  completeCaseTask,
  CONTACT_CHANNELS,
  type CaseDeadline,
  type CaseDetail,
  type CaseTask,
  type ContactChannel,
  type NoteRequest,
  type TimelineEntry,
} from '../../api/cases';
import { currentLanguage } from '../../i18n';
import { formatMoney, todayIso } from '../../lib/format';
import { DateText, ISO_DATE_RE, TimestampText } from '../register/common';
import { isKnownDeadlineKind, legalBasisText } from '../register/deadlines';
import { caseKey, invalidateCaseLists } from './caseQueries';
import { CaseProblem, DueDate } from './common';

/** Kinds of timeline entries the server writes (server/migrations/0006_cases.sql). */
const EVENT_KINDS = [
  'created',
  'transition',
  'decision-proposed',
  'decision-approved',
  'decision-rejected',
  'checklist',
  'fields',
  'assigned',
  'note',
  'contact',
  'task',
  'task-done',
  'attachment',
  'letter',
  'notified',
  'appeal-filed',
  'appeal-decided',
  'legal-force',
  'effect',
  'fee',
] as const;
type EventKind = (typeof EVENT_KINDS)[number];

function eventKindLabel(kind: string, t: TFunction): string {
  return (EVENT_KINDS as readonly string[]).includes(kind) ? t(`cases.timeline.kinds.${kind as EventKind}`) : kind;
}

/** A fee charged with a step: the amount, and that it was waived or reduced (with the reason). */
function feeText(entry: TimelineEntry, t: TFunction): string | null {
  if (entry.kind !== 'fee' || !entry.details) return null;
  const { amount, currency, status, reason } = entry.details;
  if (typeof amount !== 'string') return null;
  const money = formatMoney(amount, typeof currency === 'string' ? currency : 'CHF', currentLanguage());
  const base = status === 'waived' ? t('finance.timeline.waived') : t('finance.timeline.charged', { amount: money });
  return typeof reason === 'string' && reason ? `${base} ${t('finance.timeline.reason', { reason })}` : base;
}

function channelOf(entry: TimelineEntry): ContactChannel | null {
  const channel = entry.details?.channel;
  return typeof channel === 'string' && (CONTACT_CHANNELS as readonly string[]).includes(channel) ? (channel as ContactChannel) : null;
}

function newestFirst(a: TimelineEntry, b: TimelineEntry): number {
  return b.at.localeCompare(a.at) || b.id.localeCompare(a.id, undefined, { numeric: true });
}

type ActivityTab = 'timeline' | 'notes' | 'tasks' | 'deadlines';

/** Everything around the case: what happened, notes and contacts, tasks and deadlines. */
export function ActivitySection({ detail, canWrite }: { detail: CaseDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<ActivityTab>('timeline');
  const openTasks = detail.tasks.filter((task) => !task.doneAt).length;
  const openDeadlines = detail.deadlines.filter((d) => d.status === 'open').length;
  const notes = detail.timeline.filter((entry) => entry.kind === 'note' || entry.kind === 'contact');
  return (
    <section id="activity" aria-labelledby="activity-heading" className="mf-panel mf-file-section" data-testid="case-activity">
      <h2 id="activity-heading" tabIndex={-1} className="mf-section-title mf-section-title--spaced">{t('cases.sections.activity')}</h2>
      <Tabs value={tab} onChange={(value) => { if (value) setTab(value as ActivityTab); }} keepMounted={false}>
        <Tabs.List className="mf-tabs-list">
          <Tabs.Tab value="timeline" data-testid="tab-timeline">{t('cases.timeline.tab')}</Tabs.Tab>
          <Tabs.Tab value="notes" data-testid="tab-notes">{t('cases.notes.tab')} <span className="mf-count">({notes.length})</span></Tabs.Tab>
          <Tabs.Tab value="tasks" data-testid="tab-tasks">{t('cases.tasks.tab')} <span className="mf-count">({openTasks})</span></Tabs.Tab>
          <Tabs.Tab value="deadlines" data-testid="tab-deadlines">{t('cases.deadlines.tab')} <span className="mf-count">({openDeadlines})</span></Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="timeline" pt="md"><Timeline entries={detail.timeline} /></Tabs.Panel>
        <Tabs.Panel value="notes" pt="md"><Notes detail={detail} entries={notes} canWrite={canWrite} /></Tabs.Panel>
        <Tabs.Panel value="tasks" pt="md"><Tasks detail={detail} canWrite={canWrite} /></Tabs.Panel>
        <Tabs.Panel value="deadlines" pt="md"><Deadlines deadlines={detail.deadlines} /></Tabs.Panel>
      </Tabs>
    </section>
  );
}

function EntryList({ entries, label, testId }: { entries: TimelineEntry[]; label: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <ol className="mf-events" aria-label={label} data-testid={testId}>
      {[...entries].sort(newestFirst).map((entry) => {
        const channel = channelOf(entry);
        const fee = feeText(entry, t);
        return (
          <li key={entry.id} className="mf-event" data-kind={entry.kind}>
            <div className="mf-event-head">
              <strong>{eventKindLabel(entry.kind, t)}</strong>
              {channel ? <span className="mf-tag">{t(`cases.notes.channels.${channel}`)}</span> : null}
              <span className="mf-muted mf-small"> · <TimestampText value={entry.at} /> · {entry.actor}</span>
            </div>
            {entry.text ? <p className="mf-event-text">{entry.text}</p> : null}
            {fee ? <p className="mf-event-text" data-testid="timeline-fee">{fee}</p> : null}
          </li>
        );
      })}
    </ol>
  );
}

function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) return <Text>{t('cases.timeline.none')}</Text>;
  return <EntryList entries={entries} label={t('cases.timeline.label')} testId="case-timeline" />;
}

/** Notes, tasks and attachments only add to a case: no If-Match; the case is reloaded afterwards. */
function useCaseAddition<T>(detail: CaseDetail, send: (body: T) => Promise<unknown>, onSent: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: async () => {
      onSent();
      await queryClient.invalidateQueries({ queryKey: caseKey(detail.id) });
      invalidateCaseLists(queryClient, detail.person.id);
    },
  });
}

function Notes({ detail, entries, canWrite }: { detail: CaseDetail; entries: TimelineEntry[]; canWrite: boolean }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'note' | 'contact'>('note');
  const [channel, setChannel] = useState<ContactChannel>('phone');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const mutation = useCaseAddition(detail, (body: NoteRequest) => addCaseNote(detail.id, body), () => {
    setText('');
    setSaved(true);
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    setSaved(false);
    if (!text.trim()) {
      setError(t('form.required'));
      return;
    }
    setError(undefined);
    mutation.mutate(kind === 'contact' ? { kind, channel, text: text.trim() } : { kind, text: text.trim() });
  };
  return (
    <Stack gap="md">
      {canWrite ? (
        <form noValidate onSubmit={onSubmit} data-testid="note-form" aria-label={t('cases.notes.add')}>
          <Stack gap="sm">
            <div>
              <Text size="sm" fw={500} id="note-kind-label">{t('cases.notes.kind')}</Text>
              <SegmentedControl value={kind} onChange={(value) => { setKind(value === 'contact' ? 'contact' : 'note'); }}
                aria-labelledby="note-kind-label"
                data={[{ value: 'note', label: t('cases.notes.kinds.note') }, { value: 'contact', label: t('cases.notes.kinds.contact') }]} />
            </div>
            {kind === 'contact' ? (
              <NativeSelect name="channel" label={t('cases.notes.channel')} value={channel}
                onChange={(event) => { setChannel(event.currentTarget.value as ContactChannel); }}>
                {CONTACT_CHANNELS.map((value) => <option key={value} value={value}>{t(`cases.notes.channels.${value}`)}</option>)}
              </NativeSelect>
            ) : null}
            <Textarea name="text" label={kind === 'contact' ? t('cases.notes.contactText') : t('cases.notes.text')} autosize minRows={2}
              value={text} error={error} onChange={(event) => { setText(event.currentTarget.value); setSaved(false); }} />
            <CaseProblem error={mutation.error} caseId={detail.id} onReloaded={() => { mutation.reset(); }} />
            <Group gap="sm">
              <Button type="submit" variant="default" loading={mutation.isPending} data-testid="note-submit">{t('cases.notes.add')}</Button>
              <span role="status" className="mf-small">{saved ? t('cases.notes.saved') : ''}</span>
            </Group>
          </Stack>
        </form>
      ) : null}
      {entries.length === 0 ? <Text>{t('cases.notes.none')}</Text> : <EntryList entries={entries} label={t('cases.notes.tab')} testId="case-notes" />}
    </Stack>
  );
}

function Tasks({ detail, canWrite }: { detail: CaseDetail; canWrite: boolean }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [dueOn, setDueOn] = useState('');
  const [errors, setErrors] = useState<{ title?: string; dueOn?: string }>({});
  const add = useCaseAddition(detail, (body: { title: string; dueOn?: string }) => addCaseTask(detail.id, body), () => {
    setTitle('');
    setDueOn('');
  });
  const done = useCaseAddition(detail, (task: CaseTask) => completeCaseTask(detail.id, task.id), () => undefined);
  const tasks = [...detail.tasks].sort((a, b) => Number(a.doneAt !== null) - Number(b.doneAt !== null)
    || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999'));

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    add.reset();
    const next: { title?: string; dueOn?: string } = {};
    if (!title.trim()) next.title = t('form.required');
    if (dueOn && !ISO_DATE_RE.test(dueOn)) next.dueOn = t('form.date');
    setErrors(next);
    if (next.title || next.dueOn) return;
    add.mutate({ title: title.trim(), ...(dueOn ? { dueOn } : {}) });
  };

  return (
    <Stack gap="md">
      {tasks.length === 0 ? <Text>{t('cases.tasks.none')}</Text> : (
        <ul className="mf-plain-list" data-testid="case-tasks" aria-label={t('cases.tasks.tab')}>
          {tasks.map((task) => (
            <li key={task.id} className="mf-list-row mf-task" data-testid="case-task" data-done={task.doneAt ? 'true' : 'false'}>
              <Checkbox
                checked={task.doneAt !== null}
                disabled={!canWrite || task.doneAt !== null || done.isPending}
                onChange={(event) => { if (event.currentTarget.checked) done.mutate(task); }}
                label={<span className={task.doneAt ? 'mf-task-done' : undefined}>{task.title}</span>}
                description={
                  <>
                    {task.dueOn ? <>{t('cases.tasks.dueOn')} <DueDate value={task.dueOn} overdue={!task.doneAt && task.dueOn < todayIso()} /></> : null}
                    {task.assigneeName ? <> · {task.assigneeName}</> : null}
                    {task.doneAt ? <> · {t('cases.tasks.doneBy', { name: task.doneBy ?? '' })} <TimestampText value={task.doneAt} /></> : null}
                  </>
                }
              />
            </li>
          ))}
        </ul>
      )}
      <CaseProblem error={done.error} caseId={detail.id} onReloaded={() => { done.reset(); }} />
      {canWrite ? (
        <form noValidate onSubmit={onSubmit} className="mf-subpanel" data-testid="task-form" aria-labelledby="task-form-heading">
          <h3 id="task-form-heading" className="mf-subheading">{t('cases.tasks.add')}</h3>
          <div className="mf-form-grid">
            <TextInput name="title" label={t('cases.tasks.title')} value={title} error={errors.title} autoComplete="off"
              onChange={(event) => { setTitle(event.currentTarget.value); }} />
            <TextInput type="date" name="dueOn" label={t('cases.tasks.dueOnOptional')} value={dueOn} error={errors.dueOn}
              onChange={(event) => { setDueOn(event.currentTarget.value); }} />
          </div>
          <CaseProblem error={add.error} caseId={detail.id} onReloaded={() => { add.reset(); }} />
          <Button type="submit" variant="default" mt="sm" loading={add.isPending} data-testid="task-submit">{t('cases.tasks.add')}</Button>
        </form>
      ) : null}
    </Stack>
  );
}

const STAGE_NAMES = ['none', 'reminded', 'due', 'escalated'] as const;
type StageName = (typeof STAGE_NAMES)[number];

function stageName(stage: number | string): StageName | null {
  if (typeof stage === 'number') return STAGE_NAMES[stage] ?? null;
  return (STAGE_NAMES as readonly string[]).includes(stage) ? (stage as StageName) : null;
}

const DEADLINE_STATUSES = ['open', 'met', 'cancelled'] as const;

function deadlineKindLabel(deadline: CaseDeadline, t: TFunction): string {
  if (isKnownDeadlineKind(deadline.kind)) return t(`deadlines.kinds.${deadline.kind}`);
  return deadline.kind.replace(/-/g, ' ');
}

function Deadlines({ deadlines }: { deadlines: CaseDeadline[] }) {
  const { t } = useTranslation();
  const captionId = useId();
  if (deadlines.length === 0) return <Text>{t('cases.deadlines.none')}</Text>;
  const sorted = [...deadlines].sort((a, b) => Number(a.status !== 'open') - Number(b.status !== 'open') || a.workingDueDate.localeCompare(b.workingDueDate));
  const today = todayIso();
  return (
    <div className="mf-table-scroll mf-table-scroll--narrow" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="case-deadlines">
        <caption id={captionId} className="sr-only">{t('cases.deadlines.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('deadlines.columns.what')}</Table.Th>
            <Table.Th scope="col">{t('deadlines.columns.legalBasis')}</Table.Th>
            <Table.Th scope="col">{t('deadlines.columns.dueDate')}</Table.Th>
            <Table.Th scope="col">{t('cases.deadlines.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((deadline) => {
            const stage = stageName(deadline.stage);
            const open = deadline.status === 'open';
            const status = (DEADLINE_STATUSES as readonly string[]).includes(deadline.status)
              ? t(`cases.deadlines.statuses.${deadline.status as (typeof DEADLINE_STATUSES)[number]}`)
              : deadline.status;
            return (
              <Table.Tr key={deadline.id} data-testid="case-deadline" data-status={deadline.status}>
                <Table.Th scope="row">{deadlineKindLabel(deadline, t)}</Table.Th>
                <Table.Td>{legalBasisText(deadline, t)}</Table.Td>
                <Table.Td className="mf-nowrap">
                  {open ? <DueDate value={deadline.workingDueDate} overdue={deadline.workingDueDate < today} /> : <DateText value={deadline.workingDueDate} />}
                  {deadline.workingDueDate !== deadline.dueDate ? (
                    <div className="mf-small mf-muted">{t('cases.deadlines.moved')} <DateText value={deadline.dueDate} /></div>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  {status}
                  {open && stage && stage !== 'none' ? <div className="mf-small mf-muted">{t(`cases.deadlines.stages.${stage}`)}</div> : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}
