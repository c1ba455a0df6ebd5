import { createBrowserRouter, Navigate, Outlet, ScrollRestoration, type RouteObject } from 'react-router';
import { AnyArea, HomeRedirect, StaffArea } from './components/StaffArea';
import { NAV_ITEMS } from './components/nav';
import { PublicLayout } from './components/PublicLayout';
import { SessionExpiryWatcher } from './components/SessionExpiryWatcher';
import { TotpEnrolmentGate } from './components/TotpEnrolmentGate';
import { AccountSecurityPage } from './pages/AccountSecurityPage';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { RootError, RouteError } from './pages/ErrorPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ArrivalPage } from './pages/ArrivalPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { CaseOverviewPage } from './pages/CaseOverviewPage';
import { CasePage } from './pages/CasePage';
import { CaseQueuePage } from './pages/CaseQueuePage';
import { ExchangePage } from './pages/ExchangePage';
import { ExpiringPermitsPage } from './pages/ExpiringPermitsPage';
import { FinanceIndex, FinancePage } from './pages/FinancePage';
import { KeyFiguresPage } from './pages/KeyFiguresPage';
import { PapersJournalPage } from './pages/PapersJournalPage';
import { PersonFilePage } from './pages/PersonFilePage';
import { PersonListPage } from './pages/PersonListPage';
import { ReconciliationPage } from './pages/ReconciliationPage';
import { RetentionPage } from './pages/RetentionPage';
import { SessionExpiredPage } from './pages/SessionExpiredPage';
import { AppointmentBookingPage } from './pages/AppointmentBookingPage';
import { AppointmentDayPage } from './pages/AppointmentDayPage';
import { ForgotPasswordPage } from './pages/portal/ForgotPasswordPage';
import { PortalHomePage } from './pages/portal/PortalHomePage';
import { ResetPasswordPage } from './pages/portal/ResetPasswordPage';
import { SignUpPage } from './pages/portal/SignUpPage';
import { VerifyEmailPage } from './pages/portal/VerifyEmailPage';

function Root() {
  return (
    <>
      <SessionExpiryWatcher />
      <ScrollRestoration />
      <Outlet />
    </>
  );
}

const comingSoonRoutes: RouteObject[] = NAV_ITEMS.filter((item) => !item.ready).map((item) => ({
  path: item.path,
  element: <ComingSoonPage titleKey={item.labelKey} />,
}));

export const routes: RouteObject[] = [
  {
    element: <Root />,
    errorElement: <RootError />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        element: <PublicLayout />,
        children: [
          { path: '/login', element: <LoginPage /> },
          { path: '/session-expired', element: <SessionExpiredPage /> },
          // The online counter: open to everyone (links in mails), outside the staff area.
          { path: '/portal', element: <PortalHomePage /> },
          { path: '/portal/sign-up', element: <SignUpPage /> },
          { path: '/portal/verify', element: <VerifyEmailPage /> },
          { path: '/portal/forgot-password', element: <ForgotPasswordPage /> },
          { path: '/portal/reset-password', element: <ResetPasswordPage /> },
        ],
      },
      {
        element: <PublicLayout wide />,
        errorElement: <RouteError />,
        children: [{ path: '/appointments/book', element: <AppointmentBookingPage /> }],
      },
      {
        element: <StaffArea />,
        children: [
          {
            element: <TotpEnrolmentGate />,
            errorElement: <RouteError />,
            children: [
              { path: '/account/security', element: <AccountSecurityPage /> },
              { path: '/persons', element: <PersonListPage /> },
              { path: '/persons/:id', element: <PersonFilePage /> },
              { path: '/register/arrival', element: <ArrivalPage /> },
              { path: '/register/papers-journal', element: <PapersJournalPage /> },
              { path: '/register/reconciliation', element: <ReconciliationPage /> },
              { path: '/cases', element: <CaseQueuePage /> },
              { path: '/cases/overview', element: <CaseOverviewPage /> },
              { path: '/cases/:id', element: <CasePage /> },
              { path: '/appointments/day', element: <AppointmentDayPage /> },
              { path: '/permits', element: <Navigate to="/permits/expiring" replace /> },
              { path: '/permits/expiring', element: <ExpiringPermitsPage /> },
              { path: '/reports', element: <Navigate to="/reports/key-figures" replace /> },
              { path: '/reports/key-figures', element: <KeyFiguresPage /> },
              { path: '/audit', element: <AuditLogPage /> },
              { path: '/retention', element: <RetentionPage /> },
              { path: '/exchange', element: <Navigate to="/exchange/quarantine" replace /> },
              { path: '/exchange/:view', element: <ExchangePage /> },
              { path: '/finance', element: <FinanceIndex /> },
              { path: '/finance/:view', element: <FinancePage /> },
              ...comingSoonRoutes,
            ],
          },
        ],
      },
      {
        element: <AnyArea />,
        children: [{ errorElement: <RouteError />, children: [{ path: '*', element: <NotFoundPage /> }] }],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
