ALTER TABLE `outbox` ADD `entity_id` text;--> statement-breakpoint
CREATE INDEX `outbox_entity` ON `outbox` (`entity_id`,`status`);--> statement-breakpoint
-- Ops queued before this version learn their row from their arguments (a booking, a status change, a task, a refusal).
UPDATE `outbox` SET `entity_id` = coalesce(json_extract(`args`, '$.appointment.id'), json_extract(`args`, '$.appointmentId'), json_extract(`args`, '$.taskId'), json_extract(`args`, '$.id')) WHERE `entity_id` IS NULL AND json_valid(`args`);
