CREATE TABLE `hall_calls` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`date` text NOT NULL,
	`appointment_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`queue_number` integer NOT NULL,
	`cabinet` text NOT NULL,
	`live_queue` integer NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hall_calls_request_id_unique` ON `hall_calls` (`request_id`);--> statement-breakpoint
CREATE INDEX `hall_calls_day` ON `hall_calls` (`date`,`at`);--> statement-breakpoint
CREATE INDEX `hall_calls_appointment` ON `hall_calls` (`appointment_id`);--> statement-breakpoint
CREATE TABLE `signers` (
	`device_id` text PRIMARY KEY NOT NULL,
	`install_id` text NOT NULL,
	`doctor_id` text,
	`user_id` text NOT NULL,
	`public_key` text NOT NULL
);
