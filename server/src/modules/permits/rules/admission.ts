/** Pure rules deciding whether a permit is an immigration in the key figures, and where it is counted. */

export const ADMISSION_REASONS = [
  'eu-efta-employment',
  'family-eu-efta',
  'quota-croatia-service-providers',
  'quota-employment-non-eu',
  'family-non-eu',
  'recognised-refugee',
  'hardship',
  'student',
  'without-employment',
  'after-asylum-procedure',
  'asylum-primary',
  'asylum-secondary',
  'protection',
  'provisional-admission',
  'other',
] as const;
export type AdmissionReason = (typeof ADMISSION_REASONS)[number];

export type StatisticsGroup = 'permanent' | 'non-permanent' | 'asylum' | 'other' | 'none';
export type ImmigrationGroup = 'permanent' | 'non-permanent' | 'asylum';

export interface EarlierPermit {
  statisticsGroup: StatisticsGroup;
  /** Last day in force; null when open. */
  lastDay: string | null;
}

/**
 * - asylum: every asylum application (N with a primary or secondary application);
 * - permanent: the first permit of the permanent population a person ever gets here (B or C),
 *   also when it follows an L, N or F (hardship, regularisation after the asylum procedure, refugees);
 * - non-permanent: an L that starts a new stay (no permit of any kind in force the day before).
 */
export function immigrationGroup(statisticsGroup: StatisticsGroup, reason: AdmissionReason, earlier: EarlierPermit[], dayBefore: string): ImmigrationGroup | null {
  if (statisticsGroup === 'asylum') return reason === 'asylum-primary' || reason === 'asylum-secondary' ? 'asylum' : null;
  if (statisticsGroup === 'permanent') return earlier.some((p) => p.statisticsGroup === 'permanent') ? null : 'permanent';
  if (statisticsGroup === 'non-permanent') {
    const continuing = earlier.some((p) => p.lastDay === null || p.lastDay >= dayBefore);
    return continuing ? null : 'non-permanent';
  }
  return null;
}
