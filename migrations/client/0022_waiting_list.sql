CREATE TABLE `waiting_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`specialty_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`row_json` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `waiting_entries_status` ON `waiting_entries` (`status`,`created_at`);