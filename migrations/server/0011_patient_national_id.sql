-- R16: one patient per national ID in an organization — the server looks a new registration's ID up here.
CREATE INDEX IF NOT EXISTS "org_rows_patient_national_id" ON "org_rows" ("org_id", ("row"->>'nationalId')) WHERE "entity" = 'patient';
