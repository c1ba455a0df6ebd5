/** Where to go after signing in: the page that sent the user to the login, else the start page of their role (`/`). */
export function returnPath(state: unknown): string {
  if (typeof state === 'object' && state !== null && 'from' in state) {
    const from = state.from;
    if (typeof from === 'string' && from.startsWith('/') && !from.startsWith('//')) {
      if (!from.startsWith('/login') && !from.startsWith('/session-expired')) return from;
    }
  }
  return '/';
}

/** Router state carrying the current location as the place to return to. */
export function fromState(location: { pathname: string; search: string; hash: string }): { from: string } {
  return { from: `${location.pathname}${location.search}${location.hash}` };
}
