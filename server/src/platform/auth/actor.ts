import type { RoleSlug } from '../db/tables.js';
import type { Locale } from '../i18n/messages.js';

export interface RoleGrant {
  role: RoleSlug;
  /** The unit (office unit or municipality) the role is held in; null for the whole office. */
  unitId: string | null;
}

/**
 * Who is asking: a signed-in person, a machine client with an API token, or the system itself
 * acting for a partner (a message from a drop folder or the command line; its `id` is no user's).
 */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  id: string;
  name: string;
  displayName: string;
  tenantId: string;
  tenantSlug: string;
  tenantName: string;
  roles: RoleGrant[];
  locale: Locale;
  /** HMAC of the session cookie, for sign-out; null for tokens. */
  sessionIdHash: string | null;
}

/** What a service needs to know about the request it serves: who, and under which request id (for the audit log). */
export interface RequestContext {
  actor: Actor;
  requestId: string;
}
