import { useRef, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router';
import { useFocusOnNavigate } from '../lib/useFocusOnNavigate';
import { LanguageSelect } from './LanguageSelect';
import { MAIN_ID, SkipLink } from './SkipLink';

interface PublicFrameProps {
  children: ReactNode;
  wide?: boolean;
  mainRef?: RefObject<HTMLElement | null>;
}

/** Frame for pages seen without a session: login, session expired, errors. */
export function PublicFrame({ children, wide = false, mainRef }: PublicFrameProps) {
  const { t } = useTranslation();
  return (
    <>
      <SkipLink />
      <header className="mf-public-header">
        <div className="mf-brand">
          <span className="mf-brand-office">{t('app.name')}</span>
        </div>
        <div className="mf-header-tools">
          <LanguageSelect />
        </div>
      </header>
      <main id={MAIN_ID} ref={mainRef} tabIndex={-1} className="mf-public-main">
        <div className={wide ? 'mf-public-card mf-public-card--wide' : 'mf-public-card'}>{children}</div>
      </main>
    </>
  );
}

/** Route layout: PublicFrame around the matched child route (wide: for lists, e.g. free appointment times). */
export function PublicLayout({ wide = false }: { wide?: boolean }) {
  const mainRef = useRef<HTMLElement | null>(null);
  useFocusOnNavigate(mainRef);
  return (
    <PublicFrame mainRef={mainRef} wide={wide}>
      <Outlet />
    </PublicFrame>
  );
}
