import { Button } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ImportType } from '@tide/contract';
import { useCan } from '../lib/session.ts';

interface ImportLinkProps {
  type: ImportType;
  testId: string;
}

/** Opens the import wizard with the list's type chosen; hidden from who may not import. */
export function ImportLink({ type, testId }: ImportLinkProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const canImport = useCan('lead.assign');
  if (!canImport) return null;
  return (
    <Button
      icon={<UploadOutlined />}
      data-testid={testId}
      onClick={() => {
        void navigate(`/imports?type=${type}`);
      }}
    >
      {t('imports.button')}
    </Button>
  );
}
