import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onSessionExpired } from '../api/client';
import { clearUserData } from '../auth/session';

/**
 * Whenever any API call answers 401 "session-expired": forget the user's session and cached
 * data. The route guards then show the session-expired page (see StaffArea), which offers to
 * sign in again and come back to the same place.
 */
export function SessionExpiryWatcher() {
  const queryClient = useQueryClient();
  useEffect(() => onSessionExpired(() => { clearUserData(queryClient, null); }), [queryClient]);
  return null;
}
