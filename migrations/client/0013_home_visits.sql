CREATE TABLE `home_visits` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`patient_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`date` text NOT NULL,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`callback_phone` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`device_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `home_visits_day` ON `home_visits` (`date`,`doctor_id`);