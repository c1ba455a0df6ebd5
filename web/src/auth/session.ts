import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchSession } from '../api/endpoints';
import type { SessionInfo } from '../api/types';

export const SESSION_QUERY_KEY = ['session'] as const;

/** The session, restored from the server once on start-up and kept in memory. */
export function useSession() {
  return useQuery({
    queryKey: SESSION_QUERY_KEY,
    queryFn: ({ signal }) => fetchSession(signal),
    staleTime: Infinity,
    gcTime: Infinity,
  });
}

/** Forgets everything of the signed-in user: the session and every cached response. */
export function clearUserData(queryClient: QueryClient, session: SessionInfo | null = null): void {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_QUERY_KEY[0] });
  queryClient.setQueryData<SessionInfo | null>(SESSION_QUERY_KEY, session);
}

export function useSetSession(): (session: SessionInfo | null) => void {
  const queryClient = useQueryClient();
  return useCallback((session) => { clearUserData(queryClient, session); }, [queryClient]);
}
