CREATE TABLE `lease_sets` (
	`device_id` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL,
	`reclaim_after` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `leases` (
	`slot_id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`epoch` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `appointments` ADD `mode` text DEFAULT 'local' NOT NULL;