import { apiRequest } from './client';
import type { Language } from '../i18n';

/** The online counter's accounts (server/src/modules/portal/routes.ts). */

export type PortalAccountKind = 'applicant' | 'employer' | 'representative';
export const PORTAL_ACCOUNT_KINDS: readonly PortalAccountKind[] = ['applicant', 'employer', 'representative'];

/** The server's rule for a new password (MIN_PASSWORD_LENGTH in server/src/platform/auth/passwords.ts). */
export const PORTAL_PASSWORD_MIN = 12;
export const PORTAL_PASSWORD_MAX = 1000;

/** Problem codes of a refused one-time token (confirmation or reset link). */
export const PORTAL_TOKEN_PROBLEMS = ['portal-token-expired', 'portal-token-used', 'portal-token-invalid'] as const;
export type PortalTokenProblem = (typeof PORTAL_TOKEN_PROBLEMS)[number];

export interface SignUpRequest {
  email: string;
  password: string;
  displayName: string;
  kind: PortalAccountKind;
  language: Language;
}

export interface PortalAccount {
  id: string;
  kind: PortalAccountKind;
  email: string;
  displayName: string;
  language: Language;
  emailVerifiedAt: string | null;
  createdAt: string;
}

export interface PortalMe {
  account: PortalAccount;
  person: { id: string; name: string } | null;
  mandatesGiven: unknown[];
  mandatesHeld: unknown[];
}

const officePath = (office: string) => `/api/v1/portal/${encodeURIComponent(office)}`;

/** Opens an account; always 202 for a well-formed request (the mail says the rest). */
export async function signUp(office: string, request: SignUpRequest): Promise<void> {
  await apiRequest<unknown>(`${officePath(office)}/sign-up`, { method: 'POST', body: request });
}

/** Confirms the address with the token from the mail (204). */
export async function verifyEmail(token: string): Promise<void> {
  await apiRequest<unknown>('/api/v1/portal/verify-email', { method: 'POST', body: { token } });
}

/** Asks for a reset link; always 202, whether or not the address has an account. */
export async function requestPasswordReset(office: string, email: string): Promise<void> {
  await apiRequest<unknown>(`${officePath(office)}/password-reset`, { method: 'POST', body: { email } });
}

/** Sets the new password with the token from the reset mail (204). */
export async function confirmPasswordReset(token: string, password: string): Promise<void> {
  await apiRequest<unknown>('/api/v1/portal/password-reset/confirm', { method: 'POST', body: { token, password } });
}

/** The signed-in applicant's own account. */
export function fetchPortalMe(signal?: AbortSignal): Promise<PortalMe> {
  return apiRequest<PortalMe>('/api/v1/portal/me', { signal });
}
