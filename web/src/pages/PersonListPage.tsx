import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../api/client';
import { PERSON_SEARCH_LIMIT, searchPersons } from '../api/endpoints';
import type { PersonHit } from '../api/types';
import { MatchReasons } from '../components/register/MatchReasons';
import { useSession } from '../auth/session';
import { ErrorState } from '../components/ErrorState';
import { NAV_ITEMS, navItemAllowed } from '../components/nav';
import { currentLanguage, type Language } from '../i18n';
import { formatNationality, formatRegisterDate } from '../lib/format';
import { usePageTitle } from '../lib/usePageTitle';

const SEARCH_DEBOUNCE_MS = 200;

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
}

export function PersonListPage() {
  const { t } = useTranslation(); // re-renders on language change
  usePageTitle(t('persons.title'));
  const language: Language = currentLanguage();

  const [searchParams, setSearchParams] = useSearchParams();
  const [query, setQuery] = useState(() => searchParams.get('q') ?? '');
  const [debounced] = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const searchRef = useRef<HTMLInputElement>(null);
  const captionId = useId();
  const tableId = useId();
  const navigate = useNavigate();
  const session = useSession();
  const arrivalItem = NAV_ITEMS.find((item) => item.path === '/register/arrival');
  const canRegister = Boolean(session.data && arrivalItem && navItemAllowed(arrivalItem, session.data.user.roles));
  // The person chosen with ↑/↓; kept by id so that it survives a refreshed result list.
  const [selectedId, setSelectedId] = useState<string | null>(null);

  // Keyboard-first: the search box has focus on arrival and on "/" from anywhere on the page.
  useEffect(() => {
    searchRef.current?.focus();
  }, []);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.defaultPrevented || isEditable(event.target)) return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => { document.removeEventListener('keydown', onKeyDown); };
  }, []);

  // Keep the search in the address (?q=) so that back/forward and reloads restore it.
  useEffect(() => {
    if ((new URLSearchParams(window.location.search).get('q') ?? '') === debounced) return;
    setSearchParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (debounced) next.set('q', debounced);
        else next.delete('q');
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  }, [debounced, setSearchParams]);

  const result = useQuery({
    queryKey: ['persons', 'search', debounced],
    queryFn: ({ signal }) => searchPersons(debounced, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  const persons = result.data;
  const selectedIndex = persons && selectedId ? persons.findIndex((person) => person.id === selectedId) : -1;
  const selected = selectedIndex >= 0 ? persons?.[selectedIndex] : undefined;

  // Keep the selected row in view while moving through a long list.
  useEffect(() => {
    if (!selectedId) return;
    document.getElementById(rowDomId(tableId, selectedId))?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, tableId]);

  const openPerson = (person: PersonHit) => {
    void navigate(`/persons/${encodeURIComponent(person.id)}`);
  };

  // ↑/↓ move through the results, Enter opens the selected person, Escape clears the selection.
  const onSearchKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (!persons || persons.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const from = selectedIndex < 0 ? (step > 0 ? -1 : persons.length) : selectedIndex;
      const next = Math.min(persons.length - 1, Math.max(0, from + step));
      setSelectedId(persons[next]?.id ?? null);
    } else if (event.key === 'Enter') {
      const target = selected ?? (persons.length === 1 ? persons[0] : undefined);
      if (!target) return;
      event.preventDefault();
      openPerson(target);
    } else if (event.key === 'Escape' && selected) {
      event.preventDefault();
      setSelectedId(null);
    }
  };
  // A 401 is handled globally (session-expired page or login); everything else is shown here.
  const showError = result.isError && !(isApiError(result.error) && result.error.status === 401);

  let countText = '';
  if (persons) {
    if (persons.length === 0) countText = t('persons.countNone');
    else if (persons.length >= PERSON_SEARCH_LIMIT) countText = t('persons.countLimited', { count: persons.length });
    else countText = t('persons.count', { count: persons.length });
  } else if (result.isPending) {
    countText = t('persons.searching');
  }

  const selectionText = selected
    ? t('persons.selected', {
        name: `${selected.officialName} ${selected.firstNames}`,
        position: selectedIndex + 1,
        count: persons?.length ?? 0,
      })
    : '';

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center" gap="sm">
        <Title order={1}>{t('persons.title')}</Title>
        {canRegister ? (
          <Button component={Link} to="/register/arrival" variant="filled" data-testid="register-arrival">
            {t('persons.registerArrival')}
          </Button>
        ) : null}
      </Group>

      <form role="search" onSubmit={(event) => { event.preventDefault(); }} className="mf-panel">
        <TextInput
          ref={searchRef}
          type="search"
          name="q"
          label={t('persons.searchLabel')}
          description={t('persons.searchHint')}
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(event) => { setQuery(event.currentTarget.value); }}
          onKeyDown={onSearchKeyDown}
          aria-controls={persons && persons.length > 0 ? tableId : undefined}
          size="md"
        />
      </form>

      <section aria-labelledby={captionId}>
        <h2 id={captionId} className="sr-only">
          {t('persons.resultsLabel')}
        </h2>
        <p className="mf-result-count" data-testid="result-count" role="status" aria-live="polite" aria-atomic="true">
          {countText}
        </p>
        <p className="sr-only" aria-live="polite" aria-atomic="true">
          {selectionText}
        </p>

        {showError ? (
          <ErrorState error={result.error} onRetry={() => void result.refetch()} />
        ) : persons && persons.length > 0 ? (
          <PersonTable
            id={tableId}
            persons={persons}
            language={language}
            busy={result.isFetching}
            selectedId={selected?.id ?? null}
            onOpen={openPerson}
          />
        ) : persons ? (
          <Text className="mf-panel">{t('persons.noResults')}</Text>
        ) : null}
      </section>
    </Stack>
  );
}

function rowDomId(tableId: string, personId: string): string {
  return `${tableId}-row-${personId}`;
}

interface PersonTableProps {
  id: string;
  persons: PersonHit[];
  language: Language;
  busy: boolean;
  selectedId: string | null;
  onOpen: (person: PersonHit) => void;
}

function PersonTable({ id, persons, language, busy, selectedId, onOpen }: PersonTableProps) {
  const { t } = useTranslation();
  const tableCaptionId = useId();
  return (
    // Focusable so keyboard users can scroll the table sideways on narrow screens.
    <div className="mf-table-scroll" role="region" aria-labelledby={tableCaptionId} tabIndex={0}>
      <Table id={id} verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-busy={busy || undefined}
        className="mf-person-table">
        <caption id={tableCaptionId} className="sr-only">
          {t('persons.caption')}
        </caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('persons.columns.officialName')}</Table.Th>
            <Table.Th scope="col">{t('persons.columns.firstNames')}</Table.Th>
            <Table.Th scope="col">{t('persons.columns.dateOfBirth')}</Table.Th>
            <Table.Th scope="col">{t('persons.columns.nationality')}</Table.Th>
            <Table.Th scope="col">{t('persons.columns.municipality')}</Table.Th>
            <Table.Th scope="col">{t('persons.columns.matches')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {persons.map((person) => {
            const dob = formatRegisterDate(person.dateOfBirth, language, t);
            const isSelected = person.id === selectedId;
            return (
              <Table.Tr
                key={person.id}
                id={rowDomId(id, person.id)}
                data-testid="person-row"
                data-person-id={person.id}
                data-selected={isSelected || undefined}
                className="mf-person-row"
                onClick={(event) => {
                  // The name is a real link (keyboard, middle click); the rest of the row follows it.
                  if (event.target instanceof Element && event.target.closest('a')) return;
                  onOpen(person);
                }}
              >
                <Table.Th scope="row">
                  <Link to={`/persons/${encodeURIComponent(person.id)}`} className="mf-row-link">
                    {person.officialName}
                  </Link>
                  {person.blocked ? ' ' : null}
                  {person.blocked ? <span className="mf-blocked" data-testid="blocked-marker">{t('persons.blocked')}</span> : null}
                </Table.Th>
                <Table.Td>{person.firstNames}</Table.Td>
                <Table.Td>
                  {dob.dateTime ? <time dateTime={dob.dateTime}>{dob.text}</time> : <span className="mf-muted">{dob.text}</span>}
                </Table.Td>
                <Table.Td>{formatNationality(person.nationality, language, t)}</Table.Td>
                <Table.Td>
                  {person.municipality ?? (
                    <>
                      <span aria-hidden="true" className="mf-muted">
                        –
                      </span>
                      <span className="sr-only">{t('persons.noMunicipality')}</span>
                    </>
                  )}
                </Table.Td>
                <Table.Td>
                  <MatchReasons reasons={person.reasons} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </div>
  );
}
