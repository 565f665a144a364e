ALTER TABLE `outbox` ADD `user_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `signature` text;--> statement-breakpoint
ALTER TABLE `users` ADD `public_key` text;
