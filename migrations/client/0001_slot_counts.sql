CREATE TABLE `slot_counts` (
	`doctor_id` text NOT NULL,
	`date` text NOT NULL,
	`channel` text NOT NULL,
	`specialty_id` text NOT NULL,
	`free` integer NOT NULL,
	PRIMARY KEY(`doctor_id`, `date`, `channel`)
);
--> statement-breakpoint
CREATE INDEX `slot_counts_specialty` ON `slot_counts` (`specialty_id`,`date`,`doctor_id`,`channel`,`free`);