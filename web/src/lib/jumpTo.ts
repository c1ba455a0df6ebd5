import type { MouseEvent } from 'react';

/** A link to a section of the page: scrolls there and moves the focus to its heading, without touching the address. */
export function jumpTo(event: MouseEvent<HTMLAnchorElement>, section: string): void {
  const heading = document.getElementById(`${section}-heading`);
  if (!heading) return;
  event.preventDefault();
  heading.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}
