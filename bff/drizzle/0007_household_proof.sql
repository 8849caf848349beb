ALTER TABLE `memberships` ADD `stated_name` varchar(32);--> statement-breakpoint
ALTER TABLE `memberships` ADD `proof_kind` enum('property_certificate','purchase_contract','lease_contract');--> statement-breakpoint
ALTER TABLE `photos` ADD `membership_id` int unsigned;--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_membership_fk` FOREIGN KEY (`membership_id`) REFERENCES `memberships`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `photos_membership` ON `photos` (`membership_id`,`position`);