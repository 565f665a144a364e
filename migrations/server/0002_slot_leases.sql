CREATE TABLE "lease_sets" (
	"device_id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"reclaim_after" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slot_leases" (
	"org_id" text NOT NULL,
	"slot_id" text NOT NULL,
	"device_id" text NOT NULL,
	"epoch" bigint NOT NULL,
	CONSTRAINT "slot_leases_org_id_slot_id_pk" PRIMARY KEY("org_id","slot_id")
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "kind" text DEFAULT 'desk' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "doctor_id" text;--> statement-breakpoint
ALTER TABLE "enrollment_codes" ADD COLUMN "device_kind" text DEFAULT 'desk' NOT NULL;--> statement-breakpoint
ALTER TABLE "enrollment_codes" ADD COLUMN "doctor_id" text;--> statement-breakpoint
CREATE INDEX "slot_leases_device" ON "slot_leases" USING btree ("device_id");