-- The pinyin of a customer's name core, so names that sound the same (同音字) are found.
ALTER TABLE customers ADD COLUMN name_pinyin text;
CREATE INDEX customers_name_pinyin ON customers (tenant_id, name_pinyin) WHERE name_pinyin IS NOT NULL;
