CREATE TABLE "api_clients" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"channel" text NOT NULL,
	"regions" jsonb NOT NULL,
	"organizations" jsonb NOT NULL,
	"per_minute" integer DEFAULT 600 NOT NULL,
	"created_at" bigint NOT NULL,
	"disabled_at" bigint
);
--> statement-breakpoint
CREATE TABLE "api_idempotency" (
	"client_id" text NOT NULL,
	"key" text NOT NULL,
	"status" integer NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "api_idempotency_client_id_key_pk" PRIMARY KEY("client_id","key")
);
--> statement-breakpoint
CREATE TABLE "rate_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"window_start" bigint NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slot_holds" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"slot_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"client_id" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "ticket_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "api_clients_key" ON "api_clients" USING btree ("key_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "slot_holds_slot" ON "slot_holds" USING btree ("org_id","slot_id");--> statement-breakpoint
CREATE UNIQUE INDEX "slot_holds_patient" ON "slot_holds" USING btree ("org_id","patient_id");--> statement-breakpoint
CREATE INDEX "appointments_patient" ON "appointments" USING btree ("org_id","patient_id");