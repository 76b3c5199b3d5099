import { useState } from 'react';
import { Alert, Form, Modal, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { NATIONWIDE, type OrgNode, type Territory } from '@tide/contract';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { RegionPicker } from '../../../components/pickers/region-picker.tsx';
import { useNotify } from '../../../components/use-notify.ts';
import { boundRegions, regionPath } from '../../../lib/region-codes.ts';
import { useSetTerritory } from '../api/territories.ts';

interface TerritoryDialogProps {
  node: OrgNode;
  /** The node's own bindings; absent or empty while it inherits. */
  territory: Territory | undefined;
  onClose: () => void;
}

/** The most divisions one node may be bound to: the contract's `regionCodes.max`. */
const MAX_REGIONS = 500;

/**
 * Binds a team to provinces, cities or districts, or to the whole country (a nationwide
 * telesales centre has no regional limit). Clearing every division makes the team
 * inherit its parent's territory again.
 */
export function TerritoryDialog({ node, territory, onClose }: TerritoryDialogProps) {
  const { t } = useTranslation();
  const notify = useNotify();
  const save = useSetTerritory();
  const [nationwide, setNationwide] = useState(territory?.nationwide ?? false);
  const [paths, setPaths] = useState<string[][]>(() =>
    boundRegions(territory?.regions ?? []).map((r) => regionPath(r.code)),
  );
  const [error, setError] = useState<unknown>(null);
  const codes = paths.flatMap((path) => path.slice(-1));
  const tooMany = !nationwide && codes.length > MAX_REGIONS;

  const submit = () => {
    setError(null);
    save.mutate(
      { nodeId: node.id, body: { regionCodes: nationwide ? [NATIONWIDE] : codes } },
      {
        onSuccess: () => {
          notify.success(t('territories.saved'));
          onClose();
        },
        onError: setError,
      },
    );
  };

  return (
    <Modal
      open
      title={t('territories.dialogTitle', { name: node.name })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: tooMany, 'data-testid': 'territory-save' }}
      onOk={submit}
      onCancel={onClose}
      confirmLoading={save.isPending}
      destroyOnHidden
      width={600}
    >
      <div data-testid="territory-dialog">
        {error ? (
          <div style={{ marginBottom: 16 }}>
            <ErrorAlert error={error} testId="territory-error" />
          </div>
        ) : null}
        <Form layout="vertical">
          <Form.Item label={t('territories.nationwide')} extra={t('territories.nationwideHint')}>
            <Switch
              checked={nationwide}
              onChange={setNationwide}
              data-testid="territory-nationwide"
              aria-label={t('territories.nationwide')}
            />
          </Form.Item>
          {nationwide ? null : (
            <Form.Item
              label={t('territories.regions')}
              extra={t('territories.pickerHint')}
              {...(tooMany
                ? {
                    validateStatus: 'error' as const,
                    help: t('territories.tooMany', { max: MAX_REGIONS }),
                  }
                : {})}
            >
              <RegionPicker
                value={paths}
                onChange={setPaths}
                placeholder={t('territories.pickerPlaceholder')}
              />
            </Form.Item>
          )}
        </Form>
        {!nationwide && codes.length === 0 ? (
          <Alert type="info" showIcon title={t('territories.inheritHint')} />
        ) : null}
      </div>
    </Modal>
  );
}
