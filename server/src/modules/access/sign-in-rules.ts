import type { RoleSlug } from '../../platform/db/tables.js';

/** Pure rules of strong sign-in (TOTP, single sign-on, re-authentication): no I/O, tested as functions. */

// --- TOTP ------------------------------------------------------------------------------------------

/** RFC 6238 defaults, which every authenticator app understands. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** One step either side: the phone's clock may be 30 seconds off, and typing takes time. */
export const TOTP_WINDOW = 1;
/** How long the pending-login token between password and code stays good. */
export const PENDING_LOGIN_MINUTES = 5;

/** The time step (counter) of an instant. */
export function totpStep(now: Date, periodSeconds: number = TOTP_PERIOD_SECONDS): number {
  return Math.floor(now.getTime() / 1000 / periodSeconds);
}

export type TotpVerdict = { ok: true; step: number } | { ok: false; reason: 'wrong' | 'replayed' | 'malformed' };

/**
 * Judges a code once the authenticator's delta is known (null: no step within the window matched).
 * A code is good once: a step at or before the last accepted one is a replay, even inside the
 * window, so a code seen over someone's shoulder cannot be used a second time.
 */
export function judgeTotp(input: { code: string; delta: number | null; now: Date; lastStep: number | null; window?: number }): TotpVerdict {
  if (!isTotpCodeShape(input.code)) return { ok: false, reason: 'malformed' };
  if (input.delta === null || Math.abs(input.delta) > (input.window ?? TOTP_WINDOW)) return { ok: false, reason: 'wrong' };
  const step = totpStep(input.now) + input.delta;
  if (input.lastStep !== null && step <= input.lastStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

export function isTotpCodeShape(code: string): boolean {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code);
}

/** Accepts "123 456" and "123-456" as people type them from the app. */
export function normaliseTotpCode(code: string): string {
  return code.replace(/[\s-]/g, '');
}

// --- tenant settings -------------------------------------------------------------------------------

export type OidcClaim = 'email' | 'preferred_username';
export const OIDC_CLAIMS: readonly OidcClaim[] = ['email', 'preferred_username'];

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** The name of the environment variable that holds the client secret: no secret in the database. */
  clientSecretEnv: string;
  /** Which claim finds the MigraFlow user on the first sign-in: email (users.email) or preferred_username (users.username). */
  claim: OidcClaim;
  /** Shown on the button: "Sign in with <label>". */
  label: string | null;
}

export interface TenantSignInSettings {
  requireTotp: boolean;
  oidc: OidcSettings | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,99}$/;

/**
 * Reads the sign-in part of tenants.settings. A broken OIDC block counts as no single sign-on
 * (the office still signs in with passwords) rather than failing every request; `oidcSettingsProblem`
 * names what is wrong for the operator.
 */
export function tenantSignInSettings(settings: unknown): TenantSignInSettings {
  const record = isRecord(settings) ? settings : {};
  return { requireTotp: record.requireTotp === true, oidc: oidcSettingsProblem(record.oidc) === null ? toOidc(record.oidc) : null };
}

function toOidc(value: unknown): OidcSettings | null {
  if (!isRecord(value)) return null;
  return {
    issuer: String(value.issuer),
    clientId: String(value.clientId),
    clientSecretEnv: String(value.clientSecretEnv),
    claim: (value.claim ?? 'email') as OidcClaim,
    label: typeof value.label === 'string' && value.label.trim() !== '' ? value.label.trim() : null,
  };
}

/** What is wrong with an `oidc` settings block, or null when it is usable (or absent: then null too, and no SSO). */
export function oidcSettingsProblem(value: unknown): string | null {
  if (value === undefined || value === null) return 'absent';
  if (!isRecord(value)) return 'oidc must be an object';
  if (typeof value.issuer !== 'string' || !isAllowedIssuer(value.issuer)) return 'oidc.issuer must be an https URL (http only for localhost)';
  if (typeof value.clientId !== 'string' || value.clientId.trim() === '') return 'oidc.clientId is missing';
  if (typeof value.clientSecretEnv !== 'string' || !ENV_NAME.test(value.clientSecretEnv)) return 'oidc.clientSecretEnv must name an environment variable (A–Z, 0–9, _)';
  if (value.claim !== undefined && !(OIDC_CLAIMS as readonly unknown[]).includes(value.claim)) return `oidc.claim must be one of ${OIDC_CLAIMS.join(', ')}`;
  return null;
}

/** Plain HTTP is allowed only for a provider on this machine (development, tests); anything else needs TLS. */
export function isAllowedIssuer(issuer: string): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

// --- sessions: enrolment and re-authentication --------------------------------------------------

export type SignInMethod = 'password' | 'password+totp' | 'oidc';

/**
 * A session of an office that requires TOTP, whose user has none yet, may only enrol. Single
 * sign-on is exempt: the office's identity provider decides how strong its sign-in is.
 */
export function needsTotpEnrolment(input: { requireTotp: boolean; totpActive: boolean; method: SignInMethod }): boolean {
  return input.requireTotp && !input.totpActive && input.method !== 'oidc';
}

/** Exports and rights changes need a sign-in or re-authentication at most this long ago. */
export const RECENT_SIGN_IN_MINUTES = 10;

export function isRecentSignIn(authenticatedAt: Date, now: Date, minutes: number = RECENT_SIGN_IN_MINUTES): boolean {
  const age = now.getTime() - authenticatedAt.getTime();
  // A timestamp slightly in the future (clock skew between servers) still counts as just now.
  return age <= minutes * 60_000;
}

/** How a session re-authenticates: single sign-on sessions through their provider, the others with password (and code). */
export function reauthenticationMethod(method: SignInMethod): 'password' | 'oidc' {
  return method === 'oidc' ? 'oidc' : 'password';
}

/**
 * Whether the provider really asked the person again for a re-authentication: its `auth_time` (in
 * seconds) must not be before the flow started (allowing for clock skew between the two servers).
 */
export function isFreshProviderSignIn(authTimeSeconds: number | undefined, flowStartedAt: Date, skewSeconds = 30): boolean {
  if (authTimeSeconds === undefined || !Number.isFinite(authTimeSeconds)) return false;
  return authTimeSeconds * 1000 >= flowStartedAt.getTime() - skewSeconds * 1000;
}

// --- single sign-on ---------------------------------------------------------------------------------

/**
 * The value of the configured claim that finds the user on the first sign-in, or null. An email
 * the provider says it has not verified is not trusted to name anyone.
 */
export function matchingClaimValue(claim: OidcClaim, claims: Record<string, unknown>): string | null {
  const value = claims[claim];
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (claim === 'email' && claims.email_verified === false) return null;
  return value.trim().toLowerCase();
}

/** Only a path of this web app: never another host ("//evil.example", "https://…") after sign-in. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 500) return '/';
  // No control characters (a header split or a confused redirect).
  return [...value].some((char) => char.charCodeAt(0) < 0x20) ? '/' : value;
}

// --- rights changes ---------------------------------------------------------------------------------

/** An administrator may not take the admin role from themself: the office could lock itself out. */
export function removesOwnAdminRole(input: { actorId: string; targetId: string; before: readonly RoleSlug[]; after: readonly RoleSlug[] }): boolean {
  return input.actorId === input.targetId && input.before.includes('admin') && !input.after.includes('admin');
}
