ALTER TABLE "organizations" ADD COLUMN "rollout_order" bigserial NOT NULL;--> statement-breakpoint
-- Clinics already on the server keep the order they had (their ids, code unit by code unit); clinics imported from now on come after them.
UPDATE "organizations" SET "rollout_order" = o.n FROM (SELECT id, row_number() OVER (ORDER BY id COLLATE "C") AS n FROM "organizations") o WHERE "organizations".id = o.id;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('organizations', 'rollout_order'), coalesce((SELECT max(rollout_order) FROM "organizations"), 0) + 1, false);
