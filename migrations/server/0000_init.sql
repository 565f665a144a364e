CREATE TABLE "appointments" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"slot_id" text NOT NULL,
	"status" text NOT NULL,
	"sync_state" text NOT NULL,
	"row" jsonb NOT NULL,
	"server_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text NOT NULL,
	"op" text NOT NULL,
	"row" jsonb,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"revoked_at" bigint,
	"last_applied_seq" integer DEFAULT 0 NOT NULL,
	"last_seen_at" bigint,
	"clock_suspect" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrollment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"used_by_device" text
);
--> statement-breakpoint
CREATE TABLE "op_results" (
	"device_id" text NOT NULL,
	"device_seq" integer NOT NULL,
	"op_id" text NOT NULL,
	"org_id" text NOT NULL,
	"status" text NOT NULL,
	"result" jsonb NOT NULL,
	"server_seq" bigint NOT NULL,
	CONSTRAINT "op_results_device_id_device_seq_pk" PRIMARY KEY("device_id","device_seq")
);
--> statement-breakpoint
CREATE TABLE "org_rows" (
	"org_id" text NOT NULL,
	"entity" text NOT NULL,
	"id" text NOT NULL,
	"row" jsonb NOT NULL,
	CONSTRAINT "org_rows_org_id_entity_id_pk" PRIMARY KEY("org_id","entity","id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"region_id" text NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"phone" text NOT NULL,
	"profile_id" text NOT NULL,
	"timezone" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "specialties" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name_ru" text NOT NULL,
	"name_ky" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"row" jsonb NOT NULL,
	"server_seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "appointments_one_per_slot" ON "appointments" USING btree ("org_id","slot_id") WHERE status IN ('booked', 'arrived', 'fulfilled') AND sync_state = 'confirmed';--> statement-breakpoint
CREATE INDEX "appointments_patient" ON "appointments" USING btree ("org_id","patient_id");--> statement-breakpoint
CREATE INDEX "change_log_org" ON "change_log" USING btree ("org_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_token" ON "devices" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "op_results_op" ON "op_results" USING btree ("op_id");