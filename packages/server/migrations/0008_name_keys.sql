-- Blocking keys for fuzzy name matching at scale: a customer's name core and
-- every form of it with one character deleted. Two cores within one edit
-- (a typo, a dropped or an extra character) share a key, so candidates come
-- from an exact GIN lookup instead of a trigram scan that, on names sharing
-- industry words and cities, rechecks a third of the table. Trigram
-- similarity then scores only those candidates.
ALTER TABLE customers ADD COLUMN name_keys text[];
CREATE INDEX customers_name_keys ON customers USING gin (name_keys) WHERE name_keys IS NOT NULL;
DROP INDEX customers_name_core_trgm;
