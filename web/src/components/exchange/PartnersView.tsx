import { Alert, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rotatePartnerToken, type ExchangePartner, type PartnerWithToken } from '../../api/exchange';
import { useCan } from '../../auth/permissions';
import { ErrorState } from '../ErrorState';
import { Loading } from '../Loading';
import { ActionProblem, eventLabel, ExchangeDialog, PARTNERS_KEY, RowContext, usePartners } from './common';
import { PartnerForm } from './PartnerForm';
import { TokenReveal } from './TokenReveal';

type Dialog =
  | { kind: 'new' }
  | { kind: 'edit'; partner: ExchangePartner }
  | { kind: 'token'; partner: ExchangePartner }
  /** The inbox token, shown once after "new partner" or "new inbox token". */
  | { kind: 'reveal'; name: string; token: string };

/** The office's partner registers; team leads and administrators add and change them. */
export function PartnersView() {
  const { t } = useTranslation();
  const partners = usePartners();
  const canManage = useCan('exchange:manage');
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState('');
  const close = () => { setDialog(null); };
  const titleOf = (open: Dialog): string => {
    switch (open.kind) {
      case 'new': return t('exchange.form.titleNew');
      case 'edit': return t('exchange.form.titleEdit', { name: open.partner.name });
      case 'token': return t('exchange.partners.rotateTitle', { name: open.partner.name });
      case 'reveal': return t('exchange.token.title', { name: open.name });
    }
  };

  return (
    <Stack gap="md" data-testid="exchange-partners">
      <Text>{t('exchange.partners.intro')}</Text>
      {canManage ? (
        <div>
          <Button onClick={() => { setNotice(''); setDialog({ kind: 'new' }); }} data-testid="exchange-partner-new">{t('exchange.partners.new')}</Button>
        </div>
      ) : null}
      <div role="status" aria-live="polite" className={notice ? 'mf-notice' : undefined}>{notice}</div>
      {partners.isPending ? <Loading /> : null}
      {partners.isError ? <ErrorState error={partners.error} onRetry={() => void partners.refetch()} /> : null}
      {partners.data && partners.data.length === 0 ? <Text>{t('exchange.partners.none')}</Text> : null}
      {partners.data && partners.data.length > 0 ? (
        <PartnerTable partners={partners.data} canManage={canManage}
          onEdit={(partner) => { setNotice(''); setDialog({ kind: 'edit', partner }); }}
          onToken={(partner) => { setNotice(''); setDialog({ kind: 'token', partner }); }} />
      ) : null}

      {/* One dialog for every step, so that closing it returns the focus to the button that opened it. */}
      <ExchangeDialog opened={dialog !== null} onClose={close} title={dialog ? titleOf(dialog) : ''} size={dialog?.kind === 'token' || dialog?.kind === 'reveal' ? 'md' : 'lg'}>
        {dialog?.kind === 'new' ? (
          <PartnerForm partner={null} onClose={close}
            onSaved={(result) => {
              setNotice(t('exchange.partners.saved', { name: result.partner.name }));
              if (result.inboundToken) setDialog({ kind: 'reveal', name: result.partner.name, token: result.inboundToken });
              else close();
            }} />
        ) : null}
        {dialog?.kind === 'edit' ? (
          <PartnerForm partner={dialog.partner} onClose={close} onSaved={(result) => { close(); setNotice(t('exchange.partners.saved', { name: result.partner.name })); }} />
        ) : null}
        {dialog?.kind === 'token' ? <RotateToken partner={dialog.partner} onClose={close} onIssued={(result) => { setDialog({ kind: 'reveal', name: result.partner.name, token: result.inboundToken }); }} /> : null}
        {dialog?.kind === 'reveal' ? <TokenReveal token={dialog.token} onDone={close} /> : null}
      </ExchangeDialog>
    </Stack>
  );
}

function PartnerTable({ partners, canManage, onEdit, onToken }: { partners: ExchangePartner[]; canManage: boolean; onEdit: (partner: ExchangePartner) => void; onToken: (partner: ExchangePartner) => void }) {
  const { t } = useTranslation();
  return (
    <div className="mf-table-scroll" role="region" aria-label={t('exchange.partners.caption')} tabIndex={0}>
      <Table verticalSpacing="xs" horizontalSpacing="sm" data-testid="exchange-partner-table">
        <caption className="sr-only">{t('exchange.partners.caption')}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('exchange.partners.columns.name')}</Table.Th>
            <Table.Th scope="col">{t('exchange.partners.columns.transport')}</Table.Th>
            <Table.Th scope="col">{t('exchange.partners.columns.events')}</Table.Th>
            <Table.Th scope="col">{t('exchange.partners.columns.municipalities')}</Table.Th>
            <Table.Th scope="col">{t('exchange.partners.columns.tokens')}</Table.Th>
            {canManage ? <Table.Th scope="col">{t('exchange.partners.columns.actions')}</Table.Th> : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partners.map((partner) => (
            <Table.Tr key={partner.id} data-testid="exchange-partner-row">
              <Table.Th scope="row">
                <div>{partner.name}</div>
                <div className="mf-small mf-muted"><span className="sr-only">{t('exchange.partners.columns.participantId')}: </span><code>{partner.participantId}</code></div>
                <span className={partner.active ? 'mf-tag mf-tag--current' : 'mf-tag'} style={{ marginInlineStart: 0 }}>{partner.active ? t('exchange.partners.active') : t('exchange.partners.inactive')}</span>
              </Table.Th>
              <Table.Td>
                <div>{partner.transport === 'http' || partner.transport === 'folder' || partner.transport === 'none' ? t(`exchange.transports.${partner.transport}`) : partner.transport}</div>
                {partner.endpointUrl ? <div className="mf-small mf-muted mf-break">{partner.endpointUrl}</div> : null}
                {partner.folderPath ? <div className="mf-small mf-muted mf-break">{partner.folderPath}</div> : null}
              </Table.Td>
              <Table.Td className="mf-small">{partner.events.length === 0 ? <span className="mf-muted">{t('exchange.partners.noEvents')}</span> : partner.events.map((event) => eventLabel(event, t)).join(', ')}</Table.Td>
              <Table.Td>{partner.municipalities === null || partner.municipalities.length === 0 ? <span className="mf-muted">{t('exchange.partners.allMunicipalities')}</span> : partner.municipalities.join(', ')}</Table.Td>
              <Table.Td className="mf-small">
                <div>{partner.hasInboundToken ? t('exchange.partners.inboundToken') : t('exchange.partners.noInboundToken')}</div>
                {partner.hasOutboundToken ? <div>{t('exchange.partners.outboundToken')}</div> : null}
              </Table.Td>
              {canManage ? (
                <Table.Td>
                  <Stack gap={6} align="flex-start">
                    <Button size="compact-sm" variant="default" onClick={() => { onEdit(partner); }} data-testid="exchange-partner-edit">
                      {t('exchange.partners.edit')}<RowContext>{t('exchange.partners.which', { name: partner.name })}</RowContext>
                    </Button>
                    <Button size="compact-sm" variant="subtle" onClick={() => { onToken(partner); }} data-testid="exchange-partner-token">
                      {t('exchange.partners.newToken')}<RowContext>{t('exchange.partners.which', { name: partner.name })}</RowContext>
                    </Button>
                  </Stack>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** "New inbox token": asks first, since the old token stops working at once. */
function RotateToken({ partner, onClose, onIssued }: { partner: ExchangePartner; onClose: () => void; onIssued: (result: PartnerWithToken) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => rotatePartnerToken(partner.id),
    onSuccess: async (result) => {
      onIssued(result);
      await queryClient.invalidateQueries({ queryKey: PARTNERS_KEY });
    },
  });
  return (
    <Stack gap="md">
      <Alert color="accent" variant="light"><Text size="sm">{t('exchange.partners.rotateBody')}</Text></Alert>
      <ActionProblem error={mutation.error} conflictTitle={t('exchange.form.conflictTitle')} conflictBody={t('exchange.form.conflictBody')}
        reload={async () => { await queryClient.invalidateQueries({ queryKey: PARTNERS_KEY }); onClose(); }} />
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onClose} data-autofocus>{t('common.cancel')}</Button>
        <Button onClick={() => { mutation.mutate(); }} loading={mutation.isPending} data-testid="exchange-token-rotate">{t('exchange.partners.rotateSubmit')}</Button>
      </Group>
    </Stack>
  );
}
