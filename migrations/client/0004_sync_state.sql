DROP INDEX `appointments_one_per_slot`;--> statement-breakpoint
ALTER TABLE `appointments` ADD `sync_state` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_one_per_slot` ON `appointments` (`slot_id`) WHERE status IN ('booked', 'arrived', 'fulfilled') AND sync_state != 'conflict';--> statement-breakpoint
ALTER TABLE `tasks` ADD `row_json` text DEFAULT '{}' NOT NULL;