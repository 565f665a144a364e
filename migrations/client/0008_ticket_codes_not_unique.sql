DROP INDEX `appointments_ticket`;--> statement-breakpoint
CREATE INDEX `appointments_ticket` ON `appointments` (`ticket_code`);