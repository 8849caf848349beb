CREATE TABLE `notification_quotas` (
	`person_id` int unsigned NOT NULL,
	`template_key` varchar(32) NOT NULL,
	`remaining` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `notification_quotas_pk` UNIQUE(`person_id`,`template_key`)
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`topic` varchar(64) NOT NULL,
	`dedupe_key` varchar(191) NOT NULL,
	`payload` json NOT NULL,
	`status` enum('pending','delivered','skipped','dead') NOT NULL DEFAULT 'pending',
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`next_attempt_at` datetime(3) NOT NULL,
	`locked_until` datetime(3),
	`last_error` varchar(500),
	`delivered_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `outbox_dedupe` UNIQUE(`dedupe_key`)
);
--> statement-breakpoint
ALTER TABLE `notification_quotas` ADD CONSTRAINT `notification_quotas_person_id_persons_id_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`status`,`next_attempt_at`);