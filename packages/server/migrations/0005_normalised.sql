-- Normalised values stored beside the raw ones (SPEC §4), with the indexes
-- duplicate checks use; identity keys and structured addresses of customers;
-- the division table. Existing rows are filled by the data step that follows
-- this migration (normalisation needs phone and Chinese-text libraries).

CREATE TABLE divisions (
  code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name text NOT NULL,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  parent_code text REFERENCES divisions (code),
  data_version text NOT NULL
);
CREATE INDEX divisions_parent ON divisions (parent_code);

ALTER TABLE leads
  ADD COLUMN phone_e164 text,
  ADD COLUMN company_folded text,
  ADD COLUMN company_core text,
  ADD COLUMN province_code text,
  ADD COLUMN city_code text,
  ADD COLUMN district_code text;
CREATE INDEX leads_phone_e164 ON leads (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX leads_company_core ON leads (tenant_id, company_core) WHERE company_core IS NOT NULL;

ALTER TABLE customers
  ADD COLUMN phone_e164 text,
  ADD COLUMN id_number text,
  ADD COLUMN licence_number text,
  ADD COLUMN org_code text,
  ADD COLUMN tax_number text,
  ADD COLUMN name_folded text,
  ADD COLUMN name_core text,
  ADD COLUMN name_place text,
  ADD COLUMN name_branch text,
  ADD COLUMN province_code text,
  ADD COLUMN city_code text,
  ADD COLUMN district_code text,
  ADD COLUMN address_detail text,
  ADD COLUMN address_normalized text,
  ADD COLUMN lat double precision,
  ADD COLUMN lng double precision,
  ADD COLUMN lifecycle_stage text,
  ADD COLUMN value_tier text CHECK (value_tier IN ('high', 'mid', 'low'));
CREATE INDEX customers_phone_e164 ON customers (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
CREATE INDEX customers_credit_code ON customers (tenant_id, credit_code) WHERE credit_code IS NOT NULL;
CREATE INDEX customers_id_number ON customers (tenant_id, id_number) WHERE id_number IS NOT NULL;
CREATE INDEX customers_licence ON customers (tenant_id, licence_number) WHERE licence_number IS NOT NULL;
CREATE INDEX customers_org_code ON customers (tenant_id, org_code) WHERE org_code IS NOT NULL;
CREATE INDEX customers_tax_number ON customers (tenant_id, tax_number) WHERE tax_number IS NOT NULL;
CREATE INDEX customers_name_core ON customers (tenant_id, name_core) WHERE name_core IS NOT NULL;
CREATE INDEX customers_name_core_trgm ON customers USING gin (name_core gin_trgm_ops);
CREATE INDEX customers_district ON customers (tenant_id, district_code) WHERE district_code IS NOT NULL;

ALTER TABLE contacts ADD COLUMN phone_e164 text;
CREATE INDEX contacts_phone_e164 ON contacts (tenant_id, phone_e164) WHERE phone_e164 IS NOT NULL;
