import { apiRequest, isApiError, setCsrfToken } from './client';
import type { SessionInfo } from './types';

/** Strong sign-in: the TOTP step, single sign-on, the authenticator app, re-authentication, signing out everywhere. */

export async function loginWithCode(pendingToken: string, code: string): Promise<SessionInfo> {
  const session = await apiRequest<SessionInfo>('/api/v1/auth/login/totp', {
    method: 'POST',
    body: { pendingToken, code },
    quietSessionExpiry: true,
  });
  setCsrfToken(session.csrfToken);
  return session;
}

export interface SsoProvider {
  tenant: string;
  tenantName: string;
  label: string;
  startUrl: string;
}

/** The offices with single sign-on (one office when its slug is known). */
export function fetchSsoProviders(tenant: string | null, signal?: AbortSignal): Promise<SsoProvider[]> {
  return apiRequest<SsoProvider[]>('/api/v1/auth/oidc/providers', { query: { tenant: tenant ?? undefined }, signal });
}

/** Where the browser goes to sign in (or, with `reauth`, confirm its sign-in) at the office's provider. */
export function ssoStartUrl(tenant: string, options: { reauth?: boolean; returnTo?: string } = {}): string {
  const query = new URLSearchParams();
  if (options.reauth) query.set('reauth', '1');
  if (options.returnTo) query.set('returnTo', options.returnTo);
  const suffix = query.toString();
  return `/api/v1/auth/oidc/${encodeURIComponent(tenant)}/start${suffix ? `?${suffix}` : ''}`;
}

export interface TotpEnrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

export function startTotpEnrolment(): Promise<TotpEnrolment> {
  return apiRequest<TotpEnrolment>('/api/v1/auth/totp/enrolment', { method: 'POST' });
}

export function confirmTotp(code: string): Promise<void> {
  return apiRequest<undefined>('/api/v1/auth/totp/confirm', { method: 'POST', body: { code } });
}

export function disableTotp(code: string): Promise<void> {
  return apiRequest<undefined>('/api/v1/auth/totp/disable', { method: 'POST', body: { code } });
}

export function reauthenticate(password: string, code?: string): Promise<{ authenticatedAt: string }> {
  return apiRequest<{ authenticatedAt: string }>('/api/v1/auth/reauthenticate', { method: 'POST', body: code ? { password, code } : { password } });
}

export async function logoutEverywhere(): Promise<void> {
  try {
    await apiRequest<undefined>('/api/v1/auth/logout-all', { method: 'POST', quietSessionExpiry: true });
  } finally {
    setCsrfToken(null);
  }
}

/** A `403 reauthentication-required`: the action needs a sign-in of the last ten minutes. */
export function isReauthenticationRequired(error: unknown): boolean {
  return isApiError(error) && error.code === 'reauthentication-required';
}

const LAST_TENANT_KEY = 'mf.lastTenant';

/** The office of the last sign-in on this device, so the sign-in page can offer its single sign-on. */
export function rememberTenant(slug: string): void {
  try {
    window.localStorage.setItem(LAST_TENANT_KEY, slug);
  } catch {
    // Private mode or storage full: the page then lists every office with single sign-on.
  }
}

export function rememberedTenant(): string | null {
  try {
    return window.localStorage.getItem(LAST_TENANT_KEY);
  } catch {
    return null;
  }
}
