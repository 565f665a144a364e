-- A leaner write set for an accepted booking (issue 3's push throughput): the booking's
-- JSON is stored once, in its change-log entry; op results are no longer copied into the
-- change log (a pull reads them from op_results); indexes nothing reads are dropped.
DELETE FROM "change_log" WHERE "entity" = 'op_result';--> statement-breakpoint
DROP INDEX "appointments_patient";--> statement-breakpoint
DROP INDEX "change_log_org";--> statement-breakpoint
DROP INDEX "op_results_op";--> statement-breakpoint
ALTER TABLE "change_log" DROP CONSTRAINT "change_log_pkey";--> statement-breakpoint
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_org_id_seq_pk" PRIMARY KEY("org_id","seq");--> statement-breakpoint
CREATE INDEX "op_results_pull" ON "op_results" USING btree ("device_id","server_seq");--> statement-breakpoint
ALTER TABLE "appointments" DROP COLUMN "row";
