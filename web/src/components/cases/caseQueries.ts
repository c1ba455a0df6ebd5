import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { fetchCase, fetchCaseAssignees, fetchCaseTypes, type CaseDetail, type QueueQuery } from '../../api/cases';

export const CASES_KEY = ['cases'] as const;

export function caseKey(id: string) {
  return ['cases', 'detail', id] as const;
}

/** One filter combination of the work queue (all its loaded pages). */
export function caseQueueKey(query: QueueQuery) {
  return ['cases', 'queue', query] as const;
}

export function caseOverviewKey(unit: string) {
  return ['cases', 'overview', unit || 'all'] as const;
}

/** A person's cases: below the person, so that the person file's loading state includes them. */
export function personCasesKey(personId: string) {
  return ['person', personId, 'cases'] as const;
}

export const NOTIFICATIONS_KEY = ['notifications'] as const;

/** The office's case types: change rarely, shared by every page. */
export function useCaseTypes(enabled = true) {
  return useQuery({
    queryKey: ['case-types'],
    queryFn: ({ signal }) => fetchCaseTypes(signal),
    staleTime: 10 * 60_000,
    enabled,
  });
}

export function useCaseAssignees(enabled = true) {
  return useQuery({
    queryKey: ['case-assignees'],
    queryFn: ({ signal }) => fetchCaseAssignees(signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function useCase(id: string) {
  return useQuery({
    queryKey: caseKey(id),
    queryFn: ({ signal }) => fetchCase(id, signal),
    enabled: id !== '',
  });
}

/** Refreshes the lists a change to a case shows up in (queue, overview, the person's cases, notifications). */
export function invalidateCaseLists(queryClient: QueryClient, personId?: string): void {
  void queryClient.invalidateQueries({ queryKey: CASES_KEY, predicate: (query) => query.queryKey[1] !== 'detail' });
  if (personId) void queryClient.invalidateQueries({ queryKey: personCasesKey(personId) });
  void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
}

/** Stores a case answered by a write (or sent along with a conflict) and refreshes the lists. */
export function storeCase(queryClient: QueryClient, detail: CaseDetail): void {
  queryClient.setQueryData(caseKey(detail.id), detail);
  invalidateCaseLists(queryClient, detail.person.id);
}

export function useStoreCase(): (detail: CaseDetail) => void {
  const queryClient = useQueryClient();
  return useCallback((detail) => { storeCase(queryClient, detail); }, [queryClient]);
}
