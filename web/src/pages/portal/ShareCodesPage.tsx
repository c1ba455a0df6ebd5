import { Alert, Button, Group, NumberInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useRef, useState, type SubmitEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import { fetchPortalMe } from '../../api/portal';
import { createShareCode, fetchShareCodes, revokeShareCode, SHARE_CODE_MAX_DAYS, type ShareCode } from '../../api/portal-service';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { TimestampText } from '../../components/register/common';
import { fieldErrorsOf, refusalText } from '../../lib/problems';
import { usePageTitle } from '../../lib/usePageTitle';
import { PortalOnly } from './CaseStatusPage';

const SHARE_CODES_KEY = ['portal', 'share-codes'] as const;
const DEFAULT_DAYS = 14;
const LABEL_MAX = 100;

/** Where the employer or landlord enters the code: this site's public check page. */
function checkAddress(): string {
  return `${window.location.origin}/check`;
}

/** Share codes: proof of one's permit for an employer or landlord, without anything else about oneself. */
export function ShareCodesPage() {
  return (
    <PortalOnly>
      <ShareCodesView />
    </PortalOnly>
  );
}

function ShareCodesView() {
  const { t } = useTranslation();
  usePageTitle(t('portalShare.title'));
  // Same key as the account page: the account (and its linked person) is loaded once.
  const me = useQuery({ queryKey: ['portal-me'], queryFn: ({ signal }) => fetchPortalMe(signal) });
  const person = me.data?.person ?? null;

  return (
    <Stack gap="md">
      <div className="mf-panel" data-testid="portal-share">
        <Stack gap="md">
          <Title order={1}>{t('portalShare.title')}</Title>
          <Text>{t('portalShare.intro')}</Text>
          <ul style={{ margin: 0, paddingInlineStart: '1.25rem' }} data-testid="share-explained">
            <li>{t('portalShare.theySee')}</li>
            <li><strong>{t('portalShare.theyDoNotSee')}</strong></li>
            <li>{t('portalShare.youDecide')}</li>
          </ul>
          {me.isPending ? <Loading /> : null}
          {me.isError ? <ErrorState error={me.error} onRetry={() => void me.refetch()} /> : null}
          {me.isSuccess && !person ? (
            <Alert color="accent" variant="light" role="status" title={t('portalShare.notLinked.title')} data-testid="share-not-linked">
              <Text size="sm">{t('portalShare.notLinked.body')}</Text>
              <Text size="sm" mt="xs"><Link to="/portal">{t('portalShare.notLinked.link')}</Link></Text>
            </Alert>
          ) : null}
        </Stack>
      </div>
      {person ? <ShareCodes personId={person.id} /> : null}
      <Text><Link to="/portal">{t('portalStatus.backToAccount')}</Link></Text>
    </Stack>
  );
}

function ShareCodes({ personId }: { personId: string }) {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<(ShareCode & { code: string }) | null>(null);
  const codes = useQuery({ queryKey: SHARE_CODES_KEY, queryFn: ({ signal }) => fetchShareCodes(signal) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: SHARE_CODES_KEY });
  return (
    <>
      {created ? <NewCode created={created} onDone={() => { setCreated(null); }} /> : (
        <CreateForm personId={personId} onCreated={async (code) => {
          setCreated(code);
          await refresh();
        }} />
      )}
      <CodeList query={codes} onRevoked={refresh} />
    </>
  );
}

function CreateForm({ personId, onCreated }: { personId: string; onCreated: (code: ShareCode & { code: string }) => Promise<void> }) {
  const { t } = useTranslation();
  const [days, setDays] = useState<number | string>(DEFAULT_DAYS);
  const [label, setLabel] = useState('');
  const [daysError, setDaysError] = useState<string | undefined>();
  const daysRef = useRef<HTMLInputElement>(null);
  const mutation = useMutation({
    mutationFn: (input: { days: number; label: string }) => createShareCode(personId, input.days, input.label.trim() || undefined),
    onSuccess: onCreated,
    onError: (error) => {
      if (fieldErrorsOf(error).days) {
        setDaysError(t('portalShare.form.daysError', { max: SHARE_CODE_MAX_DAYS }));
        daysRef.current?.focus();
      }
    },
  });
  const onSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.reset();
    const value = typeof days === 'number' ? days : Number(days);
    if (!Number.isInteger(value) || value < 1 || value > SHARE_CODE_MAX_DAYS) {
      setDaysError(t('portalShare.form.daysError', { max: SHARE_CODE_MAX_DAYS }));
      daysRef.current?.focus();
      return;
    }
    setDaysError(undefined);
    mutation.mutate({ days: value, label });
  };
  const failure = mutation.error;
  const otherFailure = failure !== null && !fieldErrorsOf(failure).days;
  return (
    <section className="mf-panel" aria-labelledby="share-create-heading">
      <form noValidate onSubmit={onSubmit} data-testid="share-create-form">
        <Stack gap="md">
          <h2 id="share-create-heading" className="mf-section-title">{t('portalShare.form.title')}</h2>
          <NumberInput
            ref={daysRef}
            name="days"
            label={t('portalShare.form.days')}
            description={t('portalShare.form.daysHint', { max: SHARE_CODE_MAX_DAYS })}
            min={1}
            max={SHARE_CODE_MAX_DAYS}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            inputMode="numeric"
            value={days}
            onChange={(value) => { setDays(value); setDaysError(undefined); }}
            error={daysError}
            size="md"
            style={{ maxWidth: '12rem' }}
          />
          <TextInput
            name="label"
            label={t('portalShare.form.label')}
            description={t('portalShare.form.labelHint')}
            maxLength={LABEL_MAX}
            autoComplete="off"
            value={label}
            onChange={(event) => { setLabel(event.currentTarget.value); }}
            size="md"
          />
          {failure && otherFailure ? (
            !isApiError(failure) || failure.isUnexpected ? <ErrorState error={failure} /> : (
              <Alert color="accent" variant="light" title={t('portalShare.form.failed')} data-testid="share-create-refused">
                <Text size="sm">{refusalText(failure)}</Text>
              </Alert>
            )
          ) : null}
          <div>
            <Button type="submit" size="md" loading={mutation.isPending} data-testid="share-create">{t('portalShare.form.submit')}</Button>
          </div>
        </Stack>
      </form>
    </section>
  );
}

type CopyState = 'idle' | 'copied' | 'failed';

/** The new code, once: large, in groups, with a copy button and the address to give along. */
function NewCode({ created, onDone }: { created: ShareCode & { code: string }; onDone: () => void }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  useEffect(() => {
    // The form that had the focus is gone: start reading at the new code.
    headingRef.current?.focus();
  }, []);
  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(created.code);
      setCopy('copied');
    } catch {
      // No clipboard (insecure context, permission refused): the code stays selectable by hand.
      setCopy('failed');
    }
  };
  const address = checkAddress();
  return (
    <section className="mf-panel" aria-labelledby="share-new-heading" data-testid="share-new"
      style={{ border: '2px solid #1864ab', background: '#f5f9fd' }}>
      <Stack gap="md">
        <h2 id="share-new-heading" ref={headingRef} tabIndex={-1} className="mf-section-title">{t('portalShare.created.title')}</h2>
        <p data-testid="share-code" style={{ margin: 0, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: 'clamp(1.5rem, 7vw, 2.25rem)', fontWeight: 700, letterSpacing: '0.06em', overflowWrap: 'anywhere', userSelect: 'all' }}>
          {created.code}
        </p>
        <Text fw={700} data-testid="share-once">{t('portalShare.created.once')}</Text>
        <div>
          <Text size="sm" fw={600}>{t('portalShare.created.address')}</Text>
          <Text data-testid="share-address" style={{ overflowWrap: 'anywhere', fontWeight: 600 }}>{address}</Text>
        </div>
        <Text>{t('portalShare.created.validUntil')} <TimestampText value={created.validUntil} /></Text>
        <Group gap="sm" wrap="wrap">
          <Button variant="default" size="md" onClick={() => void onCopy()} data-testid="share-copy">{t('portalShare.created.copy')}</Button>
          <Button size="md" onClick={onDone} data-testid="share-done">{t('portalShare.created.done')}</Button>
        </Group>
        <span role="status" className="mf-small" data-testid="share-copy-status">
          {copy === 'copied' ? t('portalShare.created.copied') : copy === 'failed' ? t('portalShare.created.copyFailed') : ''}
        </span>
      </Stack>
    </section>
  );
}

function CodeList({ query, onRevoked }: { query: UseQueryResult<ShareCode[]>; onRevoked: () => Promise<void> }) {
  const codes = query.data;
  const { t } = useTranslation();
  const [notice, setNotice] = useState('');
  const revoke = useMutation({
    mutationFn: (code: ShareCode) => revokeShareCode(code.id),
    onSuccess: async (code) => {
      await onRevoked();
      setNotice(t('portalShare.list.withdrawn', { label: code.label ?? t('portalShare.list.noLabel') }));
    },
  });
  const sorted = [...(codes ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <section className="mf-panel" aria-labelledby="share-list-heading" data-testid="share-list">
      <Stack gap="md">
        <h2 id="share-list-heading" className="mf-section-title">{t('portalShare.list.title')}</h2>
        {query.isPending ? <Loading /> : null}
        {query.isError ? <ErrorState error={query.error} onRetry={() => void query.refetch()} /> : null}
        {codes && sorted.length === 0 ? <Text>{t('portalShare.list.none')}</Text> : null}
        {revoke.isError ? <ErrorState error={revoke.error} /> : null}
        {sorted.length > 0 ? (
          <ul className="mf-plain-list">
            {sorted.map((code) => {
              const label = code.label ?? t('portalShare.list.noLabel');
              return (
                <li key={code.id} className="mf-list-row" data-testid="share-code-row" data-state={code.state} data-id={code.id}>
                  <div style={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                    {label}
                    <span className={code.state === 'active' ? 'mf-tag mf-tag--current' : 'mf-tag'} style={{ marginInlineStart: '0.5rem' }} data-testid="share-code-state">
                      {t(`portalShare.states.${code.state}`)}
                    </span>
                  </div>
                  <dl className="mf-inline-facts">
                    {code.revokedAt ? (
                      <div><dt>{t('portalShare.list.withdrawnOn')}</dt><dd><TimestampText value={code.revokedAt} /></dd></div>
                    ) : (
                      <div><dt>{t('portalShare.list.validUntil')}</dt><dd><TimestampText value={code.validUntil} /></dd></div>
                    )}
                    <div>
                      <dt>{t('portalShare.list.used')}</dt>
                      <dd data-testid="share-code-views" data-views={code.views}>{code.views === 0 ? t('portalShare.list.never') : t('portalShare.list.usedCount', { count: code.views })}</dd>
                    </div>
                    {code.lastViewedAt ? <div><dt>{t('portalShare.list.lastUsed')}</dt><dd><TimestampText value={code.lastViewedAt} /></dd></div> : null}
                  </dl>
                  {code.state === 'active' ? (
                    <Button mt="xs" variant="default" size="sm" loading={revoke.isPending && revoke.variables.id === code.id}
                      aria-label={t('portalShare.list.withdrawLabel', { label })}
                      onClick={() => { setNotice(''); revoke.mutate(code); }} data-testid="share-withdraw">
                      {t('portalShare.list.withdraw')}
                    </Button>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : null}
      </Stack>
      {/* Mounted before anything is withdrawn, so that the news is announced; takes no room while empty. */}
      <div role="status" className="mf-small" data-testid="share-list-status" style={{ marginTop: notice ? '0.75rem' : 0 }}>{notice}</div>
    </section>
  );
}
