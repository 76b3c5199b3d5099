import { useMemo, useState } from 'react';
import { Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lead } from '@tide/contract';

/** Search as you submit: company, contact, or phone digits. */
export function LeadSearch({ onSearch }: { onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  return (
    <Input.Search
      allowClear
      value={text}
      placeholder={t('leads.searchPlaceholder')}
      style={{ width: 260 }}
      data-testid="lead-search"
      onChange={(e) => {
        setText(e.target.value);
        if (e.target.value === '') onSearch('');
      }}
      onSearch={(value) => {
        onSearch(value.trim());
      }}
    />
  );
}

interface SourceFilterProps {
  value: string[];
  onChange: (value: string[]) => void;
  /** Sources seen on the current page, offered as suggestions; any other can be typed. */
  leads: readonly Lead[];
}

export function SourceFilter({ value, onChange, leads }: SourceFilterProps) {
  const { t } = useTranslation();
  const options = useMemo(() => {
    const seen = new Set<string>(value);
    for (const lead of leads) if (lead.source) seen.add(lead.source);
    return [...seen].sort().map((s) => ({ value: s, label: s }));
  }, [leads, value]);
  return (
    <Select<string[]>
      mode="tags"
      allowClear
      value={value}
      onChange={onChange}
      options={options}
      placeholder={t('leads.sourceFilter')}
      style={{ minWidth: 180 }}
      maxTagCount="responsive"
      data-testid="lead-source-filter"
    />
  );
}
