import { useTranslation } from 'react-i18next';
import { MATCH_REASONS, type MatchReason } from '../../api/types';

function isKnownReason(value: string): value is MatchReason {
  return (MATCH_REASONS as readonly string[]).includes(value);
}

/** Why a search hit matched, as small badges ("Date of birth", "Sounds alike", …). */
export function MatchReasons({ reasons }: { reasons: readonly string[] }) {
  const { t } = useTranslation();
  const known = reasons.filter(isKnownReason);
  if (known.length === 0) return null;
  return (
    <ul className="mf-reasons" aria-label={t('persons.reasonsLabel')}>
      {known.map((reason) => (
        <li key={reason} className="mf-reason" data-reason={reason}>
          {t(`reasons.${reason}`)}
        </li>
      ))}
    </ul>
  );
}
