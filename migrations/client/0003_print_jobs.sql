CREATE TABLE `print_jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`appointment_id` text,
	`copy` integer NOT NULL,
	`status` text NOT NULL,
	`bytes` blob NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`printed_at` integer,
	`user_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `print_jobs_status` ON `print_jobs` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `print_jobs_appointment` ON `print_jobs` (`appointment_id`);