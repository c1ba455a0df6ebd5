import type { ComponentType } from 'react';
import { createBrowserRouter, Navigate, Outlet, ScrollRestoration, type RouteObject } from 'react-router';
import { AnyArea, HomeRedirect, StaffArea } from './components/StaffArea';
import { NAV_ITEMS } from './components/nav';
import { PublicLayout } from './components/PublicLayout';
import { SessionExpiryWatcher } from './components/SessionExpiryWatcher';
import { TotpEnrolmentGate } from './components/TotpEnrolmentGate';
import { ComingSoonPage } from './pages/ComingSoonPage';
import { RootError, RouteError } from './pages/ErrorPage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { CheckPermitPage } from './pages/CheckPermitPage';
import { SessionExpiredPage } from './pages/SessionExpiredPage';
import { ForgotPasswordPage } from './pages/portal/ForgotPasswordPage';
import { PortalHomePage } from './pages/portal/PortalHomePage';
import { ResetPasswordPage } from './pages/portal/ResetPasswordPage';
import { SignUpPage } from './pages/portal/SignUpPage';
import { VerifyEmailPage } from './pages/portal/VerifyEmailPage';

/**
 * A page fetched when it is first visited: the staff area and the signed-in portal pages stay out
 * of what a phone downloads for the sign-in, sign-up or permit-check page on a slow line.
 */
function page<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name): Pick<RouteObject, 'lazy'> {
  return { lazy: async () => ({ Component: (await load())[name] }) };
}

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
          { path: '/portal/cases', ...page(() => import('./pages/portal/MyCasesPage'), 'MyCasesPage') },
          { path: '/portal/cases/:id', ...page(() => import('./pages/portal/CaseStatusPage'), 'CaseStatusPage') },
          { path: '/portal/share', ...page(() => import('./pages/portal/ShareCodesPage'), 'ShareCodesPage') },
          // Public: an employer or landlord checks a share code, without an account.
          { path: '/check', element: <CheckPermitPage /> },
          { path: '/portal/apply/:form', ...page(() => import('./pages/portal/ApplyPage'), 'ApplyPage') },
          { path: '/portal/applications/:id', ...page(() => import('./pages/portal/ApplicationPage'), 'ApplicationPage') },
        ],
      },
      {
        element: <PublicLayout wide />,
        errorElement: <RouteError />,
        children: [{ path: '/appointments/book', ...page(() => import('./pages/AppointmentBookingPage'), 'AppointmentBookingPage') }],
      },
      {
        element: <StaffArea />,
        children: [
          {
            element: <TotpEnrolmentGate />,
            errorElement: <RouteError />,
            children: [
              { path: '/account/security', ...page(() => import('./pages/AccountSecurityPage'), 'AccountSecurityPage') },
              { path: '/persons', ...page(() => import('./pages/PersonListPage'), 'PersonListPage') },
              { path: '/persons/:id', ...page(() => import('./pages/PersonFilePage'), 'PersonFilePage') },
              { path: '/register/arrival', ...page(() => import('./pages/ArrivalPage'), 'ArrivalPage') },
              { path: '/register/papers-journal', ...page(() => import('./pages/PapersJournalPage'), 'PapersJournalPage') },
              { path: '/register/reconciliation', ...page(() => import('./pages/ReconciliationPage'), 'ReconciliationPage') },
              { path: '/cases', ...page(() => import('./pages/CaseQueuePage'), 'CaseQueuePage') },
              { path: '/cases/overview', ...page(() => import('./pages/CaseOverviewPage'), 'CaseOverviewPage') },
              { path: '/cases/:id', ...page(() => import('./pages/CasePage'), 'CasePage') },
              { path: '/appointments/day', ...page(() => import('./pages/AppointmentDayPage'), 'AppointmentDayPage') },
              { path: '/permits', element: <Navigate to="/permits/expiring" replace /> },
              { path: '/permits/expiring', ...page(() => import('./pages/ExpiringPermitsPage'), 'ExpiringPermitsPage') },
              { path: '/reports', element: <Navigate to="/reports/key-figures" replace /> },
              { path: '/reports/key-figures', ...page(() => import('./pages/KeyFiguresPage'), 'KeyFiguresPage') },
              { path: '/audit', ...page(() => import('./pages/AuditLogPage'), 'AuditLogPage') },
              { path: '/retention', ...page(() => import('./pages/RetentionPage'), 'RetentionPage') },
              { path: '/exchange', element: <Navigate to="/exchange/quarantine" replace /> },
              { path: '/exchange/:view', ...page(() => import('./pages/ExchangePage'), 'ExchangePage') },
              { path: '/finance', ...page(() => import('./pages/FinancePage'), 'FinanceIndex') },
              { path: '/finance/:view', ...page(() => import('./pages/FinancePage'), 'FinancePage') },
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
