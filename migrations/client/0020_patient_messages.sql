CREATE TABLE `patient_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`appointment_id` text,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`channel` text,
	`recipient` text,
	`segments` integer,
	`text` text,
	`error` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `patient_messages_patient` ON `patient_messages` (`patient_id`,`at`);