import { Modal } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useIsPhone } from './register/common';

/** The dialogs of the staff pages: full screen on phones, a named close button. */
export function ResponsiveDialog({ opened, onClose, title, children, size = 'lg' }: { opened: boolean; onClose: () => void; title: string; children: ReactNode; size?: string }) {
  const { t } = useTranslation();
  const isPhone = useIsPhone();
  return (
    <Modal opened={opened} onClose={onClose} title={title} size={size} fullScreen={isPhone}
      closeButtonProps={{ 'aria-label': t('common.close') }} classNames={{ title: 'mf-dialog-title' }}>
      {children}
    </Modal>
  );
}
