ALTER TABLE `memberships` ADD `stated_name` varchar(32);--> statement-breakpoint
ALTER TABLE `memberships` ADD `proof_kind` enum('property_certificate','purchase_contract','lease_contract');--> statement-breakpoint
ALTER TABLE `votes` ADD `early_close_allowed` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `choices_visible_to` enum('owners','residents','voter') DEFAULT 'owners' NOT NULL;--> statement-breakpoint
ALTER TABLE `votes` ADD `short_notice_reason` varchar(500);--> statement-breakpoint
ALTER TABLE `votes` ADD `last_reminded_at` datetime(3);--> statement-breakpoint
ALTER TABLE `photos` ADD `membership_id` int unsigned;--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_membership_fk` FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `photos_membership` ON `photos` (`membership_id`,`position`);