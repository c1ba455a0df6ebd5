import { useEffect, useRef, type RefObject } from 'react';
import { useLocation } from 'react-router';

/**
 * After a client-side navigation, moves focus to the new page's <h1> so that screen-reader
 * and keyboard users start at the new content - unless the page already placed focus inside
 * the main region itself (e.g. the person search focuses its search box).
 */
let headingFocusRequested = false;

/** Asks the next layout that mounts to focus its page heading (e.g. after signing in). */
export function requestHeadingFocus(): void {
  headingFocusRequested = true;
}

function focusHeading(main: HTMLElement): void {
  const heading = main.querySelector<HTMLElement>('h1');
  const target = heading ?? main;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}

export function useFocusOnNavigate(mainRef: RefObject<HTMLElement | null>): void {
  const { pathname } = useLocation();
  const previous = useRef(pathname); // not a "first render" flag: StrictMode runs effects twice
  useEffect(() => {
    if (previous.current === pathname && !headingFocusRequested) return;
    previous.current = pathname;
    headingFocusRequested = false;
    const main = mainRef.current;
    if (!main || main.contains(document.activeElement)) return;
    focusHeading(main);
  }, [pathname, mainRef]);
}
