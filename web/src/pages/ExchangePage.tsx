import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { InboxView } from '../components/exchange/InboxView';
import { OutboxView } from '../components/exchange/OutboxView';
import { PartnersView } from '../components/exchange/PartnersView';
import { RequirePermission } from '../components/RequirePermission';
import { usePageTitle } from '../lib/usePageTitle';
import { NotFoundPage } from './NotFoundPage';

const VIEWS = ['quarantine', 'outbox', 'partners'] as const;
type View = (typeof VIEWS)[number];

function isView(value: unknown): value is View {
  return typeof value === 'string' && (VIEWS as readonly string[]).includes(value);
}

/**
 * Data exchange with the partner registers (eCH-0020): the quarantine and inbox, the outbox and
 * the partners, each at its own address (/exchange/quarantine, /exchange/outbox, /exchange/partners).
 */
export function ExchangePage() {
  const { view } = useParams();
  if (!isView(view)) return <NotFoundPage />;
  return (
    <RequirePermission permission="exchange:read">
      <Exchange view={view} />
    </RequirePermission>
  );
}

function Exchange({ view }: { view: View }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  usePageTitle(`${t(`exchange.views.${view}`)} – ${t('exchange.title')}`);
  return (
    <Stack gap="md" data-testid="exchange-page">
      <Title order={1}>{t('exchange.title')}</Title>
      <Text>{t('exchange.intro')}</Text>
      {/* Route-driven tabs: the arrow keys move between them, each has its own address. */}
      <Tabs value={view} onChange={(value) => { if (isView(value) && value !== view) void navigate(`/exchange/${value}`); }} keepMounted={false}>
        <Tabs.List className="mf-tabs-list" aria-label={t('exchange.views.label')}>
          {VIEWS.map((value) => (
            <Tabs.Tab key={value} value={value} data-testid={`exchange-tab-${value}`}>{t(`exchange.views.${value}`)}</Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="quarantine" pt="md">{view === 'quarantine' ? <InboxView /> : null}</Tabs.Panel>
        <Tabs.Panel value="outbox" pt="md">{view === 'outbox' ? <OutboxView /> : null}</Tabs.Panel>
        <Tabs.Panel value="partners" pt="md">{view === 'partners' ? <PartnersView /> : null}</Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
