import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchPermitCategories } from '../../api/endpoints';
import type { Permit, PersonFile } from '../../api/types';

/** The person file today ('current') or as of a date. */
export function personKey(id: string, asOf?: string | null) {
  return ['person', id, asOf || 'current'] as const;
}

export function personHistoryKey(id: string) {
  return ['person', id, 'history'] as const;
}

/** A person's permits (below the person, so that writes to the person refresh them too). */
export function personPermitsKey(id: string) {
  return ['person', id, 'permits'] as const;
}

/** The office's permit catalogue: changes rarely, shared by every page. */
export const PERMIT_CATEGORIES_KEY = ['permit-categories'] as const;

export function usePermitCategories(enabled = true) {
  return useQuery({
    queryKey: PERMIT_CATEGORIES_KEY,
    queryFn: ({ signal }) => fetchPermitCategories(signal),
    staleTime: 10 * 60_000,
    enabled,
  });
}

/** The expiry lists (any number of days). */
export const EXPIRING_PERMITS_KEY = ['permits', 'expiring'] as const;

/**
 * Stores a permit answered by a write and refreshes what depends on it: the person's permits (a
 * change of category also ends the old one), the person file (expiry-notice deadlines) and the
 * expiry lists.
 */
export function storePermit(queryClient: QueryClient, permit: Permit): void {
  queryClient.setQueryData<Permit[]>(personPermitsKey(permit.personId), (previous) => {
    if (!previous) return previous;
    return previous.some((p) => p.id === permit.id)
      ? previous.map((p) => (p.id === permit.id ? { ...permit, history: permit.history.length > 0 ? permit.history : p.history } : p))
      : [...previous, permit];
  });
  void queryClient.invalidateQueries({ queryKey: ['person', permit.personId] });
  void queryClient.invalidateQueries({ queryKey: EXPIRING_PERMITS_KEY });
}

/** Stores a fresh person file (from a write or a conflict) and refreshes what depends on it. */
export function storePersonFile(queryClient: QueryClient, file: PersonFile): void {
  queryClient.setQueryData(personKey(file.id), file);
  void queryClient.invalidateQueries({
    queryKey: ['person', file.id],
    predicate: (query) => query.queryKey[2] !== 'current',
  });
  void queryClient.invalidateQueries({ queryKey: ['persons'] });
}

export function useStorePersonFile(): (file: PersonFile) => void {
  const queryClient = useQueryClient();
  return useCallback((file) => { storePersonFile(queryClient, file); }, [queryClient]);
}
