CREATE TABLE `notices` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`source` enum('property','committee') NOT NULL,
	`property_company_id` int unsigned,
	`title` varchar(100) NOT NULL,
	`body` text NOT NULL,
	`buildings` json,
	`published_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `notices_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `wh_attempts` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`integration_id` varchar(40) NOT NULL,
	`outbox_id` bigint unsigned NOT NULL,
	`message_id` varchar(100) NOT NULL,
	`event_type` varchar(64) NOT NULL,
	`attempt` int unsigned NOT NULL,
	`status_code` int unsigned,
	`duration_ms` int unsigned NOT NULL DEFAULT 0,
	`outcome` enum('delivered','retry','dead','skipped') NOT NULL,
	`error` varchar(500),
	`next_attempt_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `wh_attempts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `wh_communities` (
	`integration_id` varchar(40) NOT NULL,
	`community_id` int unsigned NOT NULL,
	CONSTRAINT `wh_communities_pk` PRIMARY KEY(`integration_id`,`community_id`)
);
--> statement-breakpoint
CREATE TABLE `wh_inbox` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`integration_id` varchar(40) NOT NULL,
	`webhook_id` varchar(128) NOT NULL,
	`event_type` varchar(64) NOT NULL,
	`result` json,
	`received_at` datetime(3) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `wh_inbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `wh_inbox_msg` UNIQUE(`integration_id`,`webhook_id`)
);
--> statement-breakpoint
CREATE TABLE `wh_integrations` (
	`id` varchar(40) NOT NULL,
	`property_company_id` int unsigned NOT NULL,
	`name` varchar(100) NOT NULL DEFAULT '',
	`url` varchar(1000),
	`event_types` json NOT NULL DEFAULT ('[]'),
	`status` enum('active','disabled','revoked') NOT NULL DEFAULT 'active',
	`status_reason` varchar(200),
	`secret_enc` varchar(512) NOT NULL,
	`prev_secret_enc` varchar(512),
	`prev_secret_until` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `wh_integrations_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `notices` ADD CONSTRAINT `notices_community_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `notices` ADD CONSTRAINT `notices_company_fk` FOREIGN KEY (`property_company_id`) REFERENCES `property_companies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `wh_communities` ADD CONSTRAINT `wh_communities_integration_fk` FOREIGN KEY (`integration_id`) REFERENCES `wh_integrations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `wh_communities` ADD CONSTRAINT `wh_communities_community_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `wh_integrations` ADD CONSTRAINT `wh_integrations_company_fk` FOREIGN KEY (`property_company_id`) REFERENCES `property_companies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `notices_community_published` ON `notices` (`community_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `wh_attempts_integration` ON `wh_attempts` (`integration_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `wh_attempts_message` ON `wh_attempts` (`message_id`);--> statement-breakpoint
CREATE INDEX `wh_communities_community` ON `wh_communities` (`community_id`);--> statement-breakpoint
CREATE INDEX `wh_integrations_company` ON `wh_integrations` (`property_company_id`);