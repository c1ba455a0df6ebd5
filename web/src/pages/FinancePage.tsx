import { Stack, Tabs, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useCan, type Permission } from '../auth/permissions';
import { AccountView } from '../components/finance/AccountView';
import { CamtImportView } from '../components/finance/CamtImportView';
import { ClarificationsView } from '../components/finance/ClarificationsView';
import { SettingsView } from '../components/finance/SettingsView';
import { RequirePermission } from '../components/RequirePermission';
import { usePageTitle } from '../lib/usePageTitle';
import { NotFoundPage } from './NotFoundPage';

const VIEWS = ['import', 'clarifications', 'account', 'settings'] as const;
type View = (typeof VIEWS)[number];

/** Who may use each part (server/src/modules/access/rules.ts): bookkeeping for team leads, the creditor settings for administrators. */
const VIEW_PERMISSIONS: Record<View, Permission> = {
  import: 'finance:book',
  clarifications: 'finance:book',
  account: 'finance:book',
  settings: 'finance:manage',
};

function isView(value: unknown): value is View {
  return typeof value === 'string' && (VIEWS as readonly string[]).includes(value);
}

/** /finance opens the first part the user may use: bank files for bookkeepers, the settings for administrators. */
export function FinanceIndex() {
  const canBook = useCan('finance:book');
  const canManage = useCan('finance:manage');
  return <Navigate to={canBook || !canManage ? '/finance/import' : '/finance/settings'} replace />;
}

/**
 * Finance (Finanzen): bank files and their import, the clarification list, the yearly account
 * and the office as creditor, each at its own address (/finance/import, /finance/clarifications,
 * /finance/account, /finance/settings).
 */
export function FinancePage() {
  const { view } = useParams();
  if (!isView(view)) return <NotFoundPage />;
  return (
    <RequirePermission permission={VIEW_PERMISSIONS[view]}>
      <Finance view={view} />
    </RequirePermission>
  );
}

function Finance({ view }: { view: View }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canBook = useCan('finance:book');
  const canManage = useCan('finance:manage');
  const allowed = VIEWS.filter((value) => (VIEW_PERMISSIONS[value] === 'finance:book' ? canBook : canManage));
  usePageTitle(`${t(`finance.views.${view}`)} – ${t('finance.title')}`);
  return (
    <Stack gap="md" data-testid="finance-page">
      <Title order={1}>{t('finance.title')}</Title>
      <Text>{t('finance.intro')}</Text>
      {/* Route-driven tabs: the arrow keys move between them, each has its own address. */}
      <Tabs value={view} onChange={(value) => { if (isView(value) && value !== view) void navigate(`/finance/${value}`); }} keepMounted={false}>
        <Tabs.List className="mf-tabs-list" aria-label={t('finance.views.label')}>
          {allowed.map((value) => (
            <Tabs.Tab key={value} value={value} data-testid={`finance-tab-${value}`}>{t(`finance.views.${value}`)}</Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="import" pt="md">{view === 'import' ? <CamtImportView /> : null}</Tabs.Panel>
        <Tabs.Panel value="clarifications" pt="md">{view === 'clarifications' ? <ClarificationsView /> : null}</Tabs.Panel>
        <Tabs.Panel value="account" pt="md">{view === 'account' ? <AccountView /> : null}</Tabs.Panel>
        <Tabs.Panel value="settings" pt="md">{view === 'settings' ? <SettingsView /> : null}</Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
