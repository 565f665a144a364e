CREATE TABLE `appointments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`patient_id` text NOT NULL,
	`slot_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`specialty_id` text NOT NULL,
	`date` text NOT NULL,
	`time` text NOT NULL,
	`start_utc` integer NOT NULL,
	`status` text NOT NULL,
	`channel` text NOT NULL,
	`referral_id` text,
	`replaces_id` text,
	`ticket_code` text NOT NULL,
	`queue_number` integer NOT NULL,
	`live_queue` integer NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`device_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `appointments_patient` ON `appointments` (`patient_id`,`start_utc`);--> statement-breakpoint
CREATE INDEX `appointments_day` ON `appointments` (`date`,`doctor_id`,`time`);--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_ticket` ON `appointments` (`ticket_code`);--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_one_per_slot` ON `appointments` (`slot_id`) WHERE status IN ('booked', 'arrived', 'fulfilled');--> statement-breakpoint
CREATE TABLE `audit` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`user_id` text NOT NULL,
	`device_id` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`detail` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cabinets` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`number` text NOT NULL,
	`floor` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `departments` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`name` text NOT NULL,
	`is_family_group` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `dispensary` (
	`patient_id` text NOT NULL,
	`specialty_id` text NOT NULL,
	`since` text NOT NULL,
	PRIMARY KEY(`patient_id`, `specialty_id`),
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `doctors` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`department_id` text NOT NULL,
	`specialty_id` text NOT NULL,
	`cabinet_id` text NOT NULL,
	`full_name` text NOT NULL,
	`active` integer NOT NULL,
	FOREIGN KEY (`department_id`) REFERENCES `departments`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`specialty_id`) REFERENCES `specialties`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cabinet_id`) REFERENCES `cabinets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `organizations` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`phone` text NOT NULL,
	`profile_id` text NOT NULL,
	`timezone` text NOT NULL,
	`server_seq` integer
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`op_id` text NOT NULL,
	`hlc` text NOT NULL,
	`name` text NOT NULL,
	`args` text NOT NULL,
	`created_at` integer NOT NULL,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_op_id_unique` ON `outbox` (`op_id`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`national_id` text NOT NULL,
	`national_id_kind` text NOT NULL,
	`full_name` text NOT NULL,
	`name_key` text NOT NULL,
	`birth_date` text NOT NULL,
	`sex` text NOT NULL,
	`address` text NOT NULL,
	`phone` text NOT NULL,
	`phone_key` text NOT NULL,
	`attached_org_id` text,
	`attached_department_id` text,
	`attached_doctor_id` text,
	`attached_since` text,
	`priority` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patients_national_id` ON `patients` (`national_id`);--> statement-breakpoint
CREATE INDEX `patients_name` ON `patients` (`name_key`);--> statement-breakpoint
CREATE INDEX `patients_phone` ON `patients` (`phone_key`);--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`patient_id` text NOT NULL,
	`specialty_id` text NOT NULL,
	`issued_by_doctor_id` text NOT NULL,
	`issued_at` integer NOT NULL,
	`valid_until` text NOT NULL,
	`used_by_appointment_id` text,
	FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referrals_patient` ON `referrals` (`patient_id`,`specialty_id`);--> statement-breakpoint
CREATE TABLE `regions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`server_seq` integer
);
--> statement-breakpoint
CREATE TABLE `register_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`at` integer NOT NULL,
	`patient_id` text,
	`applicant` text NOT NULL,
	`specialty_id` text,
	`doctor_id` text,
	`channel` text NOT NULL,
	`result` text NOT NULL,
	`reason` text,
	`appointment_id` text,
	`appointed_at` integer,
	`user_id` text NOT NULL,
	`device_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `register_at` ON `register_entries` (`at`);--> statement-breakpoint
CREATE TABLE `schedule_exceptions` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`doctor_id` text NOT NULL,
	`kind` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`intervals_json` text,
	`note` text NOT NULL,
	FOREIGN KEY (`doctor_id`) REFERENCES `doctors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exceptions_doctor` ON `schedule_exceptions` (`doctor_id`,`from_date`);--> statement-breakpoint
CREATE TABLE `schedule_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`doctor_id` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`slot_minutes` integer NOT NULL,
	`week_json` text NOT NULL,
	FOREIGN KEY (`doctor_id`) REFERENCES `doctors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `slots` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`doctor_id` text NOT NULL,
	`specialty_id` text NOT NULL,
	`date` text NOT NULL,
	`time` text NOT NULL,
	`start_utc` integer NOT NULL,
	`end_utc` integer NOT NULL,
	`channel` text NOT NULL,
	`blocked` integer NOT NULL,
	`appointment_id` text,
	FOREIGN KEY (`doctor_id`) REFERENCES `doctors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `slots_search` ON `slots` (`specialty_id`,`start_utc`,`appointment_id`,`blocked`,`channel`,`doctor_id`,`date`,`time`);--> statement-breakpoint
CREATE INDEX `slots_doctor_day` ON `slots` (`doctor_id`,`date`,`time`);--> statement-breakpoint
CREATE UNIQUE INDEX `slots_holder` ON `slots` (`appointment_id`);--> statement-breakpoint
CREATE TABLE `specialties` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name_ru` text NOT NULL,
	`name_ky` text NOT NULL,
	`server_seq` integer
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`server_seq` integer,
	`kind` text NOT NULL,
	`patient_id` text NOT NULL,
	`appointment_id` text,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`full_name` text NOT NULL,
	`role` text NOT NULL,
	`doctor_id` text,
	`password_hash` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);