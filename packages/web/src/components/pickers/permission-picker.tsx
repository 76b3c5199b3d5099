import { Checkbox, Col, Flex, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Permission } from '@tide/contract';
import { permissionGroupLabel, permissionGroups, permissionLabel } from '../../lib/permissions.ts';

interface PermissionPickerProps {
  value?: Permission[];
  onChange?: (value: Permission[]) => void;
  disabled?: boolean;
}

/** Permission checkboxes grouped by domain, each group with a select-all box. */
export function PermissionPicker({ value = [], onChange, disabled }: PermissionPickerProps) {
  const { t } = useTranslation();
  const chosen = new Set(value);

  const setGroup = (list: readonly Permission[], on: boolean) => {
    const next = new Set(chosen);
    for (const p of list) {
      if (on) next.add(p);
      else next.delete(p);
    }
    onChange?.([...next]);
  };

  const toggle = (permission: Permission, on: boolean) => {
    setGroup([permission], on);
  };

  return (
    <Flex vertical gap={12} data-testid="permission-picker">
      {permissionGroups.map(({ group, permissions }) => {
        const count = permissions.filter((p) => chosen.has(p)).length;
        return (
          <div key={group}>
            <Checkbox
              disabled={disabled}
              checked={count === permissions.length}
              indeterminate={count > 0 && count < permissions.length}
              onChange={(e) => {
                setGroup(permissions, e.target.checked);
              }}
            >
              <Typography.Text strong>{permissionGroupLabel(t, group)}</Typography.Text>
            </Checkbox>
            <Row gutter={[8, 4]} style={{ paddingInlineStart: 24, marginTop: 4 }}>
              {permissions.map((permission) => (
                <Col key={permission} xs={24} sm={12}>
                  <Checkbox
                    disabled={disabled}
                    checked={chosen.has(permission)}
                    onChange={(e) => {
                      toggle(permission, e.target.checked);
                    }}
                  >
                    {permissionLabel(t, permission)}{' '}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {permission}
                    </Typography.Text>
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </div>
        );
      })}
    </Flex>
  );
}
