import { Table, Text } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isReligionCode, type Deadline, type PersonFile, type Residence } from '../../api/types';
import { currentLanguage } from '../../i18n';
import { formatAhvn13, formatNationality, todayIso } from '../../lib/format';
import { DateText, Fact } from './common';
import { deadlineLabel, legalBasisText } from './deadlines';

/** A titled part of the person file, reachable from the section links. */
export function FileSection({ id, title, children, actions, testId }: { id: string; title: string; children: ReactNode; actions?: ReactNode; testId?: string }) {
  const headingId = `${id}-heading`;
  return (
    <section id={id} aria-labelledby={headingId} className="mf-panel mf-file-section" data-testid={testId}>
      <div className="mf-section-head">
        <h2 id={headingId} tabIndex={-1} className="mf-section-title">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

// ---- identity -------------------------------------------------------------------------------

export function IdentitySection({ file }: { file: PersonFile }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const id = file.identity;
  const yesNo = (value: boolean | null) => (value === null ? null : value ? t('common.yes') : t('common.no'));
  return (
    <FileSection id="identity" title={t('personFile.sections.identity')}>
      <div className="mf-fact-groups">
        <div>
          <h3 className="mf-subheading">{t('identity.names')}</h3>
          <dl className="mf-facts">
            <Fact label={t('identity.officialName')}>{id.officialName}</Fact>
            <Fact label={t('identity.firstNames')}>{id.firstNames}</Fact>
            <Fact label={t('identity.callName')}>{id.callName}</Fact>
            <Fact label={t('identity.maidenName')}>{id.maidenName}</Fact>
            <Fact label={t('identity.allianceName')}>{id.allianceName}</Fact>
            <Fact label={t('identity.nameInForeignPassport')}>{id.nameInForeignPassport}</Fact>
            <Fact label={t('identity.aliasName')}>{id.aliasName}</Fact>
          </dl>
        </div>
        <div>
          <h3 className="mf-subheading">{t('identity.birthAndOrigin')}</h3>
          <dl className="mf-facts">
            <Fact label={t('identity.sex')}>{t(`sex.${id.sex}`)}</Fact>
            <Fact label={t('identity.dateOfBirth')}><DateText value={id.dateOfBirth} /></Fact>
            <Fact label={t('identity.placeOfBirth')}>{id.placeOfBirth}</Fact>
            <Fact label={t('identity.countryOfBirth')}>
              {id.countryOfBirth ? formatNationality(id.countryOfBirth, language, t) : null}
            </Fact>
            <Fact label={t('identity.nationality')}>{formatNationality(id.nationality, language, t)}</Fact>
            <Fact label={t('identity.placeOfOrigin')}>{id.placeOfOrigin}</Fact>
            <Fact label={t('identity.ahvn13')}>{id.ahvn13 ? formatAhvn13(id.ahvn13) : null}</Fact>
          </dl>
        </div>
        <div>
          <h3 className="mf-subheading">{t('identity.civilStatusAndFamily')}</h3>
          <dl className="mf-facts">
            <Fact label={t('identity.civilStatus')}>
              {t(`civilStatus.${id.civilStatus}`)}
              {id.civilStatusDate ? (
                <>
                  {' '}
                  <span className="mf-muted">
                    ({t('identity.since')} <DateText value={id.civilStatusDate} />)
                  </span>
                </>
              ) : null}
            </Fact>
            <Fact label={t('identity.fatherName')}>{id.fatherName}</Fact>
            <Fact label={t('identity.motherName')}>{id.motherName}</Fact>
          </dl>
        </div>
        <div>
          <h3 className="mf-subheading">{t('identity.other')}</h3>
          <dl className="mf-facts">
            <Fact label={t('identity.legalCapacity')}>{id.legalCapacity ? t(`legalCapacity.${id.legalCapacity}`) : null}</Fact>
            <Fact label={t('identity.fireServiceDuty')}>{yesNo(id.fireServiceDuty)}</Fact>
            <Fact label={t('identity.religion')}>
              {id.religion ? (isReligionCode(id.religion) ? t(`religions.${id.religion}`) : id.religion) : null}
            </Fact>
          </dl>
        </div>
      </div>
    </FileSection>
  );
}

// ---- residence ------------------------------------------------------------------------------

export function formatAddress(r: Pick<Residence, 'street' | 'houseNumber' | 'postalCode' | 'town'>): string {
  const line1 = [r.street, r.houseNumber].filter(Boolean).join(' ');
  const line2 = [r.postalCode, r.town].filter(Boolean).join(' ');
  return [line1, line2].filter(Boolean).join(', ');
}

function byArrivalDesc(a: Residence, b: Residence): number {
  return b.arrivalDate.localeCompare(a.arrivalDate);
}

export function ResidenceSection({ file }: { file: PersonFile }) {
  const { t } = useTranslation();
  const residences = [...file.residences].sort(byArrivalDesc);
  return (
    <FileSection id="residence" title={t('personFile.sections.residence')}>
      {residences.length === 0 ? (
        <Text>{t('residence.none')}</Text>
      ) : (
        <ol className="mf-timeline" data-testid="residence-timeline">
          {residences.map((r) => {
            const current = r.departureDate === null;
            return (
              <li key={r.id} className="mf-timeline-item" data-current={current || undefined} data-testid="residence-item">
                <div className="mf-timeline-head">
                  <strong>{r.municipalityName}</strong>{' '}
                  <span className="mf-muted">({t('residence.bfs', { bfs: r.municipalityBfs })})</span>
                  {current ? <span className="mf-tag mf-tag--current">{t('residence.current')}</span> : null}
                  <span className="mf-tag">{t(`residence.kinds.${r.kind}`)}</span>
                </div>
                <dl className="mf-facts mf-facts--compact">
                  <Fact label={t('residence.address')}>{formatAddress(r)}</Fact>
                  <Fact label={t('residence.egidEwid')}>
                    {r.egid !== null || r.ewid !== null ? `${r.egid ?? '–'} / ${r.ewid ?? '–'}` : null}
                  </Fact>
                  <Fact label={t('residence.registrationType')}>{t(`registrationTypes.${r.registrationType}.label`)}</Fact>
                  <Fact label={t('residence.arrival')}>
                    <DateText value={r.arrivalDate} />
                    {r.arrivedFrom ? <> · {t('residence.from', { place: r.arrivedFrom })}</> : null}
                  </Fact>
                  {r.departureDate ? (
                    <Fact label={t('residence.departure')}>
                      <DateText value={r.departureDate} />
                      {r.departedTo ? <> · {t('residence.to', { place: r.departedTo })}</> : null}
                    </Fact>
                  ) : null}
                </dl>
              </li>
            );
          })}
        </ol>
      )}
    </FileSection>
  );
}

// ---- relations ------------------------------------------------------------------------------

export function RelationsSection({ file }: { file: PersonFile }) {
  const { t } = useTranslation();
  return (
    <FileSection id="relations" title={t('personFile.sections.relations')}>
      {file.relations.length === 0 ? (
        <Text>{t('relations.none')}</Text>
      ) : (
        <ul className="mf-plain-list">
          {file.relations.map((relation) => {
            const name = relation.relatedName ?? t('relations.unnamed');
            return (
              <li key={relation.id} className="mf-list-row" data-testid="relation-row">
                <span className="mf-tag">{t(`relations.kinds.${relation.kind}`)}</span>{' '}
                {relation.relatedPersonId ? (
                  <Link to={`/persons/${encodeURIComponent(relation.relatedPersonId)}`}>{name}</Link>
                ) : (
                  <span>{name}</span>
                )}
                {relation.custody !== null && relation.kind === 'child' ? (
                  <span className="mf-muted"> · {relation.custody ? t('relations.custody') : t('relations.noCustody')}</span>
                ) : null}
                {relation.validFrom || relation.validTo ? (
                  <span className="mf-muted">
                    {' · '}
                    {relation.validFrom ? <>{t('relations.from')} <DateText value={relation.validFrom} /></> : null}
                    {relation.validFrom && relation.validTo ? ' ' : null}
                    {relation.validTo ? <>{t('relations.until')} <DateText value={relation.validTo} /></> : null}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </FileSection>
  );
}

// ---- deadlines ------------------------------------------------------------------------------

export function DeadlinesSection({ file }: { file: PersonFile }) {
  const { t } = useTranslation();
  const captionId = useId();
  const today = todayIso();
  const open = file.deadlines.filter((d) => d.status === 'open').sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return (
    <FileSection id="deadlines" title={t('personFile.sections.deadlines')}>
      {open.length === 0 ? (
        <Text>{t('deadlines.none')}</Text>
      ) : (
        <div className="mf-table-scroll mf-table-scroll--narrow" role="region" aria-labelledby={captionId} tabIndex={0}>
          <Table verticalSpacing="xs" horizontalSpacing="sm">
            <caption id={captionId} className="sr-only">{t('deadlines.caption')}</caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('deadlines.columns.what')}</Table.Th>
                <Table.Th scope="col">{t('deadlines.columns.legalBasis')}</Table.Th>
                <Table.Th scope="col">{t('deadlines.columns.dueDate')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((deadline: Deadline) => (
                <Table.Tr key={deadline.id} data-testid="deadline-row">
                  <Table.Th scope="row">{deadlineLabel(deadline, t)}</Table.Th>
                  <Table.Td>{legalBasisText(deadline, t)}</Table.Td>
                  <Table.Td className="mf-nowrap">
                    <DateText value={deadline.dueDate} />
                    {deadline.dueDate < today ? <span className="mf-blocked">{t('deadlines.overdue')}</span> : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </FileSection>
  );
}

// ---- later modules --------------------------------------------------------------------------

export function PlaceholderSection({ id, title, body }: { id: string; title: string; body: string }) {
  return (
    <FileSection id={id} title={title}>
      <Text className="mf-muted">{body}</Text>
    </FileSection>
  );
}

