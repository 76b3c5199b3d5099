import { useMemo, type CSSProperties } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { roleLabel } from '../../lib/permissions.ts';
import { useRoles } from '../../lib/reference-data.ts';

interface RoleSelectProps {
  value?: string[];
  onChange?: (value: string[]) => void;
  placeholder?: string;
  id?: string;
  allowClear?: boolean;
  style?: CSSProperties;
}

/** Picks one or more roles by name, showing their translated labels. */
export function RoleSelect({
  value,
  onChange,
  placeholder,
  id,
  allowClear,
  style,
}: RoleSelectProps) {
  const { t } = useTranslation();
  const roles = useRoles();
  const options = useMemo(
    () =>
      (roles.data ?? []).map((role) => ({
        value: role.name,
        label: roleLabel(t, role.name, roles.data),
      })),
    [roles.data, t],
  );
  return (
    <Select<string[]>
      id={id}
      mode="multiple"
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      loading={roles.isLoading}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={{ optionFilterProp: 'label' }}
      style={style ?? { width: '100%' }}
    />
  );
}
