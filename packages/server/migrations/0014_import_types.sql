-- Customers and contacts can be imported too.
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_type_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_type_check
  CHECK (type IN ('leads', 'customers', 'contacts'));
ALTER TABLE import_templates DROP CONSTRAINT import_templates_type_check;
ALTER TABLE import_templates ADD CONSTRAINT import_templates_type_check
  CHECK (type IN ('leads', 'customers', 'contacts'));
