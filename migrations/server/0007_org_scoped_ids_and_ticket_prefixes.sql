-- Appointment ids are scoped per organization (issue 9, finding 7); devices get server-assigned ticket prefixes (finding 3).
ALTER TABLE "appointments" DROP CONSTRAINT "appointments_pkey";--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_org_id_id_pk" PRIMARY KEY("org_id","id");--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "ticket_prefix" text;--> statement-breakpoint
CREATE UNIQUE INDEX "devices_org_prefix" ON "devices" USING btree ("org_id","ticket_prefix");
