ALTER TABLE `votes` ADD `early_close_allowed` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `choices_visible_to` enum('owners','residents','voter') DEFAULT 'owners' NOT NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `short_notice_reason` varchar(500);--> statement-breakpoint
ALTER TABLE `votes` ADD `last_reminded_at` datetime(3);