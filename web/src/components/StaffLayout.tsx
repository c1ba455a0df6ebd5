import { AppShell, Burger, Button } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { logout } from '../api/endpoints';
import type { SessionInfo } from '../api/types';
import { clearUserData } from '../auth/session';
import { useFocusOnNavigate } from '../lib/useFocusOnNavigate';
import { LanguageSelect } from './LanguageSelect';
import { NAV_GROUPS, navItemAllowed, navItemCurrent } from './nav';
import { NotificationBell } from './NotificationBell';
import { MAIN_ID, SkipLink } from './SkipLink';

const NAV_ID = 'main-navigation';

export function StaffLayout({ session }: { session: SessionInfo }) {
  const { t } = useTranslation();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const isMobile = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false });
  const mainRef = useRef<HTMLElement | null>(null);
  const burgerRef = useRef<HTMLButtonElement | null>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [loggingOut, setLoggingOut] = useState(false);
  const navRef = useRef<HTMLDivElement | null>(null);
  const { pathname } = useLocation();
  useFocusOnNavigate(mainRef);

  // Phone menu: opening moves focus to the first link, Escape closes it and returns to the button.
  const mobileNavOpen = isMobile && navOpen;
  useEffect(() => {
    if (!mobileNavOpen) return;
    navRef.current?.querySelector<HTMLElement>('a')?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      closeNav();
      burgerRef.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => { document.removeEventListener('keydown', onKeyDown); };
  }, [mobileNavOpen, closeNav]);

  const onLogout = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } catch {
      // Signed out locally either way; the server session expires on its own.
    }
    clearUserData(queryClient, null);
    await navigate('/login', { replace: true });
  };

  // Off-canvas navigation on phones: hidden from keyboard and screen readers while closed.
  const navHidden = isMobile && !navOpen;

  return (
    <AppShell
      header={{ height: { base: 92, sm: 64 } }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding={{ base: 'sm', sm: 'lg' }}
    >
      <AppShell.Header withBorder>
        <SkipLink />
        <div className="mf-header">
          <Burger
            ref={burgerRef}
            opened={navOpen}
            onClick={toggleNav}
            hiddenFrom="sm"
            size="sm"
            aria-label={navOpen ? t('nav.close') : t('nav.open')}
            aria-expanded={navOpen}
            aria-controls={NAV_ID}
          />
          <Link to="/persons" className="mf-brand">
            {isMobile ? (
              <span className="mf-brand-office">{t('app.name')}</span>
            ) : (
              <>
                <span className="mf-brand-product">{t('app.name')}</span>
                <span className="mf-brand-office" data-testid="office-name">
                  {session.tenant.name}
                </span>
              </>
            )}
          </Link>
          <div className="mf-header-tools">
            <span className="mf-user" data-testid="user-name" hidden={isMobile}>
              {t('header.signedInAs', { name: session.user.displayName })}
            </span>
            {isMobile ? null : <NotificationBell compact={false} />}
            <LanguageSelect />
            <Button
              data-testid="logout"
              variant="default"
              size={isMobile ? 'xs' : 'sm'}
              onClick={() => void onLogout()}
              loading={loggingOut}
            >
              {t('header.logout')}
            </Button>
          </div>
        </div>
        {isMobile ? (
          // Phones: the office gets its own line instead of being cut off next to the tools (with the notifications).
          <div className="mf-office-row">
            <div className="mf-office-bar" data-testid="office-name">
              {session.tenant.name}
            </div>
            <NotificationBell compact />
          </div>
        ) : null}
      </AppShell.Header>

      <AppShell.Navbar id={NAV_ID} ref={navRef} aria-label={t('nav.label')} inert={navHidden}>
        <ul className="mf-nav-list">
          {NAV_GROUPS.map((group, groupIndex) => {
            const items = group.items.filter((item) => navItemAllowed(item, session.user.roles));
            if (items.length === 0) return null;
            const links = items.map((item) => (
              <li key={item.path}>
                <Link
                  to={item.path}
                  className="mf-nav-link"
                  aria-current={navItemCurrent(item, pathname) ? 'page' : undefined}
                  onClick={() => {
                    if (isMobile) closeNav();
                  }}
                >
                  {t(item.labelKey)}
                </Link>
              </li>
            ));
            if (!group.labelKey) return links;
            const headingId = `${NAV_ID}-group-${String(groupIndex)}`;
            return (
              <li key={group.labelKey} className="mf-nav-group">
                <span id={headingId} className="mf-nav-heading">
                  {t(group.labelKey)}
                </span>
                <ul className="mf-nav-list mf-nav-sublist" aria-labelledby={headingId}>
                  {links}
                </ul>
              </li>
            );
          })}
        </ul>
        {isMobile ? (
          <div className="mf-nav-user">{t('header.signedInAs', { name: session.user.displayName })}</div>
        ) : null}
      </AppShell.Navbar>

      <AppShell.Main id={MAIN_ID} ref={mainRef} tabIndex={-1}>
        <div className="mf-page">
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
