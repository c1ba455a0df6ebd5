import { Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchPersonHistory } from '../../api/endpoints';
import { CIVIL_STATUSES, isReligionCode, type CivilStatus, type HistoryEntry, type Identity, type ResidenceVersion } from '../../api/types';
import { currentLanguage } from '../../i18n';
import { formatNationality } from '../../lib/format';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { DateText, NotRecorded, TimestampText } from './common';
import { FileSection, formatAddress } from './PersonSections';
import { personHistoryKey } from './personQueries';

const IDENTITY_FIELDS: readonly (keyof Identity)[] = [
  'officialName', 'firstNames', 'callName', 'maidenName', 'allianceName', 'nameInForeignPassport', 'aliasName',
  'sex', 'dateOfBirth', 'placeOfBirth', 'countryOfBirth', 'nationality', 'placeOfOrigin', 'civilStatus',
  'civilStatusDate', 'fatherName', 'motherName', 'legalCapacity', 'fireServiceDuty', 'religion', 'ahvn13',
];

function isIdentityField(field: string): field is keyof Identity {
  return (IDENTITY_FIELDS as readonly string[]).includes(field);
}

function isCivilStatus(value: string): value is CivilStatus {
  return (CIVIL_STATUSES as readonly string[]).includes(value);
}

const DATE_VALUE_RE = /^\d{4}-\d{2}-\d{2}$/;

function byAspectThenTime(a: HistoryEntry, b: HistoryEntry): number {
  return a.aspect.localeCompare(b.aspect) || b.validFrom.localeCompare(a.validFrom) || b.recordedAt.localeCompare(a.recordedAt);
}

/** Every version of names, civil status and nationality, and of residences, superseded ones included. */
export function HistorySection({ personId }: { personId: string }) {
  const { t } = useTranslation();
  const history = useQuery({
    queryKey: personHistoryKey(personId),
    queryFn: ({ signal }) => fetchPersonHistory(personId, signal),
  });
  return (
    <FileSection id="history" title={t('personFile.sections.history')}>
      <Text size="sm" mb="sm">{t('history.intro')}</Text>
      {history.isPending ? <Loading /> : null}
      {history.isError ? <ErrorState error={history.error} onRetry={() => void history.refetch()} /> : null}
      {history.data ? (
        <>
          <VersionsTable versions={[...history.data.versions].sort(byAspectThenTime)} />
          <h3 className="mf-subheading mf-subheading--spaced">{t('history.residences')}</h3>
          <ResidenceVersionsTable residences={[...history.data.residences].sort((a, b) =>
            b.arrivalDate.localeCompare(a.arrivalDate) || b.recordedAt.localeCompare(a.recordedAt))} />
        </>
      ) : null}
    </FileSection>
  );
}

function DataValue({ field, value }: { field: string; value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined || value === '') return <NotRecorded />;
  if (typeof value === 'boolean') return <>{value ? t('common.yes') : t('common.no')}</>;
  if (typeof value === 'string') {
    if ((field === 'nationality' || field === 'countryOfBirth') && /^[A-Z]{2}$/.test(value)) {
      return <>{formatNationality(value, currentLanguage(), t)}</>;
    }
    if (field === 'civilStatus' && isCivilStatus(value)) return <>{t(`civilStatus.${value}`)}</>;
    if (field === 'religion' && isReligionCode(value)) return <>{t(`religions.${value}`)}</>;
    if (field === 'sex' && (value === 'm' || value === 'f' || value === 'x')) return <>{t(`sex.${value}`)}</>;
    if (DATE_VALUE_RE.test(value)) return <DateText value={value} />;
    return <>{value}</>;
  }
  if (typeof value === 'number') return <>{String(value)}</>;
  return <>{JSON.stringify(value)}</>;
}

function VersionData({ data }: { data: Record<string, unknown> }) {
  const { t } = useTranslation();
  // Recorded values only, in the order of the identity section (names first).
  const rank = (field: string) => (isIdentityField(field) ? IDENTITY_FIELDS.indexOf(field) : IDENTITY_FIELDS.length);
  const entries = Object.entries(data)
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .sort(([a], [b]) => rank(a) - rank(b));
  if (entries.length === 0) return <NotRecorded />;
  return (
    <dl className="mf-data-list">
      {entries.map(([field, value]) => (
        <div key={field}>
          <dt>{isIdentityField(field) ? t(`identity.${field}`) : field}</dt>
          <dd><DataValue field={field} value={value} /></dd>
        </div>
      ))}
    </dl>
  );
}

function SupersededCell({ supersededAt }: { supersededAt: string | null }) {
  const { t } = useTranslation();
  if (!supersededAt) return <span>{t('history.valid')}</span>;
  return (
    <span className="mf-superseded-note">
      {t('history.superseded')} <TimestampText value={supersededAt} />
    </span>
  );
}

function VersionsTable({ versions }: { versions: HistoryEntry[] }) {
  const { t } = useTranslation();
  const captionId = useId();
  if (versions.length === 0) return <Text>{t('history.none')}</Text>;
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" className="mf-history-table">
        <caption id={captionId} className="sr-only">{t('history.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('history.columns.aspect')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.validFrom')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.validTo')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.data')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.reason')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.recorded')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.map((v) => (
            <Table.Tr key={v.id} data-testid="history-row" data-superseded={v.supersededAt ? 'true' : 'false'}
              className={v.supersededAt ? 'mf-superseded' : undefined}>
              <Table.Th scope="row">{t(`history.aspects.${v.aspect}`)}</Table.Th>
              <Table.Td className="mf-nowrap"><DateText value={v.validFrom} /></Table.Td>
              <Table.Td className="mf-nowrap">{v.validTo ? <DateText value={v.validTo} /> : t('history.open')}</Table.Td>
              <Table.Td><VersionData data={v.data} /></Table.Td>
              <Table.Td>{t(`history.reasons.${v.reason}`)}</Table.Td>
              <Table.Td className="mf-nowrap">
                <TimestampText value={v.recordedAt} />
                {v.recordedBy ? <div className="mf-muted">{v.recordedBy}</div> : null}
              </Table.Td>
              <Table.Td><SupersededCell supersededAt={v.supersededAt} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

function ResidenceVersionsTable({ residences }: { residences: ResidenceVersion[] }) {
  const { t } = useTranslation();
  const captionId = useId();
  if (residences.length === 0) return <Text>{t('residence.none')}</Text>;
  return (
    <div className="mf-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" className="mf-history-table">
        <caption id={captionId} className="sr-only">{t('history.residencesCaption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('residence.municipality')}</Table.Th>
            <Table.Th scope="col">{t('residence.address')}</Table.Th>
            <Table.Th scope="col">{t('residence.arrival')}</Table.Th>
            <Table.Th scope="col">{t('residence.departure')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.recorded')}</Table.Th>
            <Table.Th scope="col">{t('history.columns.state')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {residences.map((r) => (
            <Table.Tr key={`${r.id}-${r.recordedAt}`} data-testid="residence-history-row"
              data-superseded={r.supersededAt ? 'true' : 'false'} className={r.supersededAt ? 'mf-superseded' : undefined}>
              <Table.Th scope="row">{r.municipalityName}</Table.Th>
              <Table.Td>{formatAddress(r) || <NotRecorded />}</Table.Td>
              <Table.Td className="mf-nowrap"><DateText value={r.arrivalDate} /></Table.Td>
              <Table.Td className="mf-nowrap">{r.departureDate ? <DateText value={r.departureDate} /> : t('history.open')}</Table.Td>
              <Table.Td className="mf-nowrap"><TimestampText value={r.recordedAt} /></Table.Td>
              <Table.Td><SupersededCell supersededAt={r.supersededAt} /></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
