CREATE TABLE `inbox_messages` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`person_id` int unsigned NOT NULL,
	`dedupe_key` varchar(191) NOT NULL,
	`template` varchar(32) NOT NULL,
	`title` varchar(64) NOT NULL,
	`body` varchar(500) NOT NULL,
	`page` varchar(255) NOT NULL,
	`read_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `inbox_messages_id` PRIMARY KEY(`id`),
	CONSTRAINT `inbox_dedupe` UNIQUE(`dedupe_key`)
);
--> statement-breakpoint
ALTER TABLE `inbox_messages` ADD CONSTRAINT `inbox_messages_person_id_persons_id_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `inbox_person` ON `inbox_messages` (`person_id`,`id`);--> statement-breakpoint
CREATE INDEX `inbox_person_unread` ON `inbox_messages` (`person_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `inbox_created` ON `inbox_messages` (`created_at`);--> statement-breakpoint
CREATE INDEX `vote_proxies_holder` ON `vote_proxies` (`proxy_phone_hash`);