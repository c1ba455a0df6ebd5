import { Button, Group, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { issueLinkCode } from '../../api/portal-service';
import { useCan } from '../../auth/permissions';
import { ErrorState } from '../ErrorState';
import { ResponsiveDialog } from '../ResponsiveDialog';
import { TimestampText } from './common';

/** While the slip is on screen, printing shows only the slip (not the person file behind the dialog). */
const PRINT_ONLY_SLIP = `@media print {
  body * { visibility: hidden !important; }
  [data-print-slip], [data-print-slip] * { visibility: visible !important; }
  [data-print-slip] { position: absolute; inset: 0 auto auto 0; width: 100%; padding: 2rem; }
  [data-print-slip] [data-no-print] { display: none !important; }
}`;

/**
 * Staff: a one-time code that the person uses to link their online-counter account to this file
 * (with their date of birth). The code exists only in this answer: it is shown once, to print or
 * copy onto a letter, and handed to the person.
 */
export function PortalLinkCode({ personId, personName }: { personId: string; personName: string }) {
  const { t } = useTranslation();
  const allowed = useCan('portal:manage');
  const [opened, setOpened] = useState(false);
  const mutation = useMutation({ mutationFn: () => issueLinkCode(personId) });
  const codeRef = useRef<HTMLParagraphElement>(null);
  const issued = mutation.data;
  useEffect(() => {
    // The code replaced the button that had the focus: start reading at the code.
    if (issued) codeRef.current?.focus();
  }, [issued]);
  if (!allowed) return null;

  const close = () => {
    setOpened(false);
    // Closed means gone: the code cannot be shown again, only a new one made.
    mutation.reset();
  };

  return (
    <>
      <Button size="sm" variant="default" onClick={() => { setOpened(true); }} data-testid="action-portal-code">
        {t('caseMessages.linkCode.button')}
      </Button>
      <ResponsiveDialog opened={opened} onClose={close} title={t('caseMessages.linkCode.title')} size="md">
        <Stack gap="md" data-testid="portal-code-dialog">
          <Text>{t('caseMessages.linkCode.explain')}</Text>
          {issued ? (
            <div data-print-slip="" data-testid="portal-code-slip">
              <style>{PRINT_ONLY_SLIP}</style>
              <Stack gap="sm">
                <Text fw={700}>{t('caseMessages.linkCode.slipTitle', { name: personName })}</Text>
                <p ref={codeRef} tabIndex={-1} data-testid="portal-code"
                  style={{ margin: 0, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', fontSize: '1.75rem', fontWeight: 700, letterSpacing: '0.08em', overflowWrap: 'anywhere' }}>
                  {issued.code}
                </p>
                <Text>
                  {t('caseMessages.linkCode.validUntil')}: <strong><TimestampText value={issued.validUntil} /></strong>
                </Text>
                <Text size="sm">{t('caseMessages.linkCode.howToUse')}</Text>
                <Text size="sm" fw={600} data-no-print="">{t('caseMessages.linkCode.once')}</Text>
                <Group gap="sm" data-no-print="">
                  <Button onClick={() => { window.print(); }} data-testid="portal-code-print">{t('caseMessages.linkCode.print')}</Button>
                  <Button variant="default" onClick={close}>{t('common.close')}</Button>
                </Group>
              </Stack>
            </div>
          ) : (
            <>
              {mutation.isError ? <ErrorState error={mutation.error} /> : null}
              <Group gap="sm">
                <Button onClick={() => { mutation.mutate(); }} loading={mutation.isPending} data-testid="portal-code-create">
                  {t('caseMessages.linkCode.create')}
                </Button>
                <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
              </Group>
            </>
          )}
        </Stack>
      </ResponsiveDialog>
    </>
  );
}
