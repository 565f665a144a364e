ALTER TABLE "devices" ADD COLUMN "install_id" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "signer" jsonb;--> statement-breakpoint
-- Devices enrolled with an install id (desks since enrollment retries) keep it; the rest name theirs at their next push.
UPDATE "devices" SET "install_id" = e."used_by_install" FROM "enrollment_codes" e WHERE e."used_by_device" = "devices"."id" AND e."used_by_install" IS NOT NULL;
