CREATE TABLE "patient_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"tries" integer DEFAULT 0 NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_messages" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"appointment_id" text,
	"version" bigint NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"not_before" bigint DEFAULT 0 NOT NULL,
	"claimed_until" bigint,
	"attempts" integer DEFAULT 0 NOT NULL,
	"channel" text,
	"transport" text,
	"recipient" text,
	"segments" integer,
	"body" text,
	"provider_ref" text,
	"error" text,
	"sent_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_prefs" (
	"org_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"lang" text NOT NULL,
	"email" text,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "patient_prefs_org_id_patient_id_pk" PRIMARY KEY("org_id","patient_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "patient_messages_once" ON "patient_messages" USING btree ("org_id","appointment_id","version","kind");--> statement-breakpoint
CREATE INDEX "patient_messages_due" ON "patient_messages" USING btree ("status","not_before");--> statement-breakpoint
CREATE INDEX "patient_messages_patient" ON "patient_messages" USING btree ("org_id","patient_id");