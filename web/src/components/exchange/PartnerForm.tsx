import { Alert, Button, Checkbox, Group, PasswordInput, Radio, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { createPartner, EXCHANGE_EVENTS, TRANSPORTS, updatePartner, type ExchangeEvent, type ExchangePartner, type PartnerInput, type Transport } from '../../api/exchange';
import { isVersionConflict, otherFieldErrors, refusalText } from '../../lib/problems';
import { ErrorState } from '../ErrorState';
import { useFocusFirstInvalid, useServerFieldErrors } from '../register/common';
import { VersionConflictAlert } from '../VersionConflictAlert';
import { eventLabel, PARTNERS_KEY } from './common';

type Field = 'name' | 'participantId' | 'endpointUrl' | 'folderPath' | 'municipalities' | 'events';
/** Fields whose server messages are shown next to the field; the others are listed above the form. */
const PLACED_FIELDS: readonly string[] = ['name', 'participantId', 'endpointUrl', 'folderPath', 'municipalities', 'events'];

function isTransport(value: string): value is Transport {
  return (TRANSPORTS as readonly string[]).includes(value);
}

function isEvent(value: string): value is ExchangeEvent {
  return (EXCHANGE_EVENTS as readonly string[]).includes(value);
}

function looksLikePartner(value: unknown): value is ExchangePartner {
  return typeof value === 'object' && value !== null && typeof (value as ExchangePartner).id === 'string' && typeof (value as ExchangePartner).version === 'number';
}

/** "1059, 1061" → [1059, 1061]; null when empty; undefined when not a list of BFS numbers. */
function parseMunicipalities(text: string): number[] | null | undefined {
  const parts = text.split(/[,;\s]+/).filter((part) => part !== '');
  if (parts.length === 0) return null;
  if (!parts.every((part) => /^\d{1,4}$/.test(part) && Number(part) >= 1)) return undefined;
  return [...new Set(parts.map(Number))];
}

function validUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol === 'https:' || url.protocol === 'http:';
}

export interface SavedPartner {
  partner: ExchangePartner;
  /** Only after creating: the inbox token, to be shown once. */
  inboundToken?: string;
}

/** Create or change a partner. A change carries the version it was based on (If-Match). */
export function PartnerForm({ partner, onClose, onSaved }: { partner: ExchangePartner | null; onClose: () => void; onSaved: (result: SavedPartner) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const [attempt, setAttempt] = useState(0);
  useFocusFirstInvalid(formRef, attempt);

  const [name, setName] = useState(partner?.name ?? '');
  const [participantId, setParticipantId] = useState(partner?.participantId ?? '');
  const [transport, setTransport] = useState<Transport>(partner && isTransport(partner.transport) ? partner.transport : 'http');
  const [endpointUrl, setEndpointUrl] = useState(partner?.endpointUrl ?? '');
  const [folderPath, setFolderPath] = useState(partner?.folderPath ?? '');
  const [outboundToken, setOutboundToken] = useState('');
  const [removeToken, setRemoveToken] = useState(false);
  const [events, setEvents] = useState<string[]>(partner?.events.filter(isEvent) ?? []);
  const [municipalities, setMunicipalities] = useState(partner?.municipalities?.join(', ') ?? '');
  const [active, setActive] = useState(partner?.active ?? true);
  // The version the change is based on and whether a token is stored: refreshed after a conflict.
  const [base, setBase] = useState<ExchangePartner | null>(partner);
  const [reloaded, setReloaded] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});

  const mutation = useMutation({
    mutationFn: async (body: PartnerInput): Promise<SavedPartner> => (base ? { partner: await updatePartner(base.id, base.version, body) } : createPartner(body)),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: PARTNERS_KEY });
      onSaved(result);
    },
    onError: () => {
      setAttempt((n) => n + 1);
      // No field to fix (a conflict, a refusal): the message at the top of the form takes the focus.
      requestAnimationFrame(() => {
        if (!formRef.current?.querySelector('[aria-invalid="true"]')) problemRef.current?.focus();
      });
    },
  });
  const serverError = useServerFieldErrors(mutation.error);
  const errorOf = (field: Field, label: string) => errors[field] ?? serverError(field, label);

  const reload = async () => {
    const current = isApiError(mutation.error) ? mutation.error.problem.extensions?.current : undefined;
    let fresh: ExchangePartner | undefined = looksLikePartner(current) ? current : undefined;
    if (!fresh && base) {
      await queryClient.invalidateQueries({ queryKey: PARTNERS_KEY });
      fresh = queryClient.getQueryData<ExchangePartner[]>(PARTNERS_KEY)?.find((p) => p.id === base.id);
    }
    if (fresh) setBase(fresh);
    mutation.reset();
    setReloaded(true);
    requestAnimationFrame(() => problemRef.current?.focus());
  };

  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    setReloaded(false);
    const next: Partial<Record<Field, string>> = {};
    if (!name.trim()) next.name = t('form.required');
    if (!participantId.trim()) next.participantId = t('form.required');
    else if (/\s/.test(participantId.trim())) next.participantId = t('exchange.form.participantIdSpaces');
    if (transport === 'http' && !validUrl(endpointUrl.trim())) next.endpointUrl = t('exchange.form.endpointUrlInvalid');
    if (transport === 'folder' && !folderPath.trim()) next.folderPath = t('form.required');
    const bfs = parseMunicipalities(municipalities);
    if (bfs === undefined) next.municipalities = t('exchange.form.municipalitiesInvalid');
    setErrors(next);
    if (Object.keys(next).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    const token = outboundToken.trim();
    mutation.mutate({
      name: name.trim(),
      participantId: participantId.trim(),
      transport,
      endpointUrl: transport === 'http' ? endpointUrl.trim() : null,
      folderPath: transport === 'folder' ? folderPath.trim() : null,
      // Write-only: left out keeps the stored token, '' removes it.
      ...(token ? { outboundToken: token } : base && removeToken ? { outboundToken: '' } : {}),
      events: EXCHANGE_EVENTS.filter((e) => events.includes(e)),
      municipalities: bfs ?? null,
      active,
    });
  };

  const error = mutation.error;
  const unplaced = otherFieldErrors(error, PLACED_FIELDS);
  const eventsId = 'exchange-partner-events';

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} data-testid="exchange-partner-form">
      <Stack gap="md">
        {error || reloaded ? (
          <Stack ref={problemRef} tabIndex={-1} gap="sm">
            {error && isVersionConflict(error) ? (
              <VersionConflictAlert title={t('exchange.form.conflictTitle')} body={t('exchange.form.conflictBody')} reload={reload} />
            ) : null}
            {reloaded ? <Alert className="mf-alert-info" variant="light" role="status">{t('exchange.form.reloaded')}</Alert> : null}
            {error && !isVersionConflict(error) && isApiError(error) && !error.isUnexpected ? (
              <Alert color="accent" variant="light" role="alert" title={t('form.notSaved')} data-testid="exchange-partner-refused" data-code={error.code}>
                <Text size="sm">{(error.problem.errors?.length ?? 0) > unplaced.length ? t('form.fixErrors') : refusalText(error)}</Text>
                {unplaced.length > 0 ? <ul className="mf-error-list">{unplaced.map((item) => <li key={`${item.field}-${item.message}`}>{item.field}: {item.message}</li>)}</ul> : null}
              </Alert>
            ) : null}
            {error && (!isApiError(error) || error.isUnexpected) ? <ErrorState error={error} /> : null}
          </Stack>
        ) : null}

        <div className="mf-form-grid">
          <TextInput name="name" label={t('exchange.form.name')} value={name} maxLength={200} required withAsterisk={false} data-autofocus
            onChange={(event) => { setName(event.currentTarget.value); }} error={errorOf('name', t('exchange.form.name'))} />
          <TextInput name="participantId" label={t('exchange.form.participantId')} description={t('exchange.form.participantIdHint')} value={participantId}
            maxLength={50} required withAsterisk={false} autoComplete="off" spellCheck={false}
            onChange={(event) => { setParticipantId(event.currentTarget.value); }} error={errorOf('participantId', t('exchange.form.participantId'))} />
        </div>

        <Radio.Group name="transport" label={t('exchange.form.transport')} value={transport} onChange={(value) => { if (isTransport(value)) setTransport(value); }}>
          <Group gap="lg" mt={6}>
            {TRANSPORTS.map((value) => <Radio key={value} value={value} label={t(`exchange.transports.${value}`)} />)}
          </Group>
        </Radio.Group>
        {transport === 'http' ? (
          <TextInput name="endpointUrl" type="url" label={t('exchange.form.endpointUrl')} description={t('exchange.form.endpointUrlHint')} value={endpointUrl}
            maxLength={2000} required withAsterisk={false} autoComplete="off" spellCheck={false}
            onChange={(event) => { setEndpointUrl(event.currentTarget.value); }} error={errorOf('endpointUrl', t('exchange.form.endpointUrl'))} />
        ) : null}
        {transport === 'folder' ? (
          <TextInput name="folderPath" label={t('exchange.form.folderPath')} description={t('exchange.form.folderPathHint')} value={folderPath}
            maxLength={1000} required withAsterisk={false} autoComplete="off" spellCheck={false}
            onChange={(event) => { setFolderPath(event.currentTarget.value); }} error={errorOf('folderPath', t('exchange.form.folderPath'))} />
        ) : null}
        {transport === 'http' ? (
          <div>
            <PasswordInput name="outboundToken" label={t('exchange.form.outboundToken')}
              description={base?.hasOutboundToken ? `${t('exchange.form.outboundTokenHint')} ${t('exchange.form.outboundTokenKeep')}` : t('exchange.form.outboundTokenHint')}
              value={outboundToken} maxLength={2000} autoComplete="new-password" disabled={removeToken}
              onChange={(event) => { setOutboundToken(event.currentTarget.value); }}
              visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }} />
            {base?.hasOutboundToken ? (
              <Checkbox mt="xs" label={t('exchange.form.removeOutboundToken')} checked={removeToken}
                onChange={(event) => { setRemoveToken(event.currentTarget.checked); if (event.currentTarget.checked) setOutboundToken(''); }} />
            ) : null}
          </div>
        ) : null}

        <fieldset className="mf-fieldset" aria-describedby={`${eventsId}-hint`}>
          <legend>{t('exchange.form.events')}</legend>
          <Text id={`${eventsId}-hint`} size="sm" className="mf-muted" mb="xs">{t('exchange.form.eventsHint')}</Text>
          <Group gap="xs" mb="sm">
            <Button size="compact-sm" variant="default" onClick={() => { setEvents([...EXCHANGE_EVENTS]); }}>{t('exchange.form.selectAll')}</Button>
            <Button size="compact-sm" variant="default" onClick={() => { setEvents([]); }}>{t('exchange.form.selectNone')}</Button>
          </Group>
          <Checkbox.Group value={events} onChange={setEvents} error={errorOf('events', t('exchange.form.events'))}>
            <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 14rem), 1fr))', gap: '0.5rem 1rem' }}>
              {EXCHANGE_EVENTS.map((value) => <Checkbox key={value} value={value} name="events" label={eventLabel(value, t)} />)}
            </div>
          </Checkbox.Group>
        </fieldset>

        <TextInput name="municipalities" label={t('exchange.form.municipalities')} description={t('exchange.form.municipalitiesHint')} value={municipalities}
          inputMode="numeric" autoComplete="off" onChange={(event) => { setMunicipalities(event.currentTarget.value); }}
          error={errorOf('municipalities', t('exchange.form.municipalities'))} />
        <Checkbox name="active" label={t('exchange.form.active')} checked={active} onChange={(event) => { setActive(event.currentTarget.checked); }} />

        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={mutation.isPending} data-testid="exchange-partner-submit">{base ? t('exchange.form.save') : t('exchange.form.create')}</Button>
        </Group>
      </Stack>
    </form>
  );
}
