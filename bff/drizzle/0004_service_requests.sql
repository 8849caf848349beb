CREATE TABLE `service_requests` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`category_id` int unsigned NOT NULL,
	`reporter_person_id` int unsigned NOT NULL,
	`handler` enum('property','committee') NOT NULL,
	`property_company_id` int unsigned,
	`status` enum('submitted','accepted','assigned','in_progress','resolved','closed','reopened','rejected','duplicate','cancelled') NOT NULL DEFAULT 'submitted',
	`location_kind` enum('unit','building','public') NOT NULL,
	`building_id` int unsigned,
	`unit_id` int unsigned,
	`location_detail` varchar(100),
	`description` varchar(1000) NOT NULL,
	`answers` json NOT NULL,
	`contact_time` varchar(64),
	`share_phone` boolean NOT NULL DEFAULT false,
	`phone_enc` varchar(128),
	`event_seq` int unsigned NOT NULL DEFAULT 0,
	`duplicate_of` int unsigned,
	`assignee_name` varchar(32),
	`assignee_phone_enc` varchar(128),
	`resolve_minutes` int unsigned NOT NULL,
	`accept_due_at` datetime(3) NOT NULL,
	`resolve_due_at` datetime(3),
	`accepted_at` datetime(3),
	`first_resolved_at` datetime(3),
	`resolved_at` datetime(3),
	`closed_at` datetime(3),
	`on_time` boolean,
	`escalation` enum('accept_overdue','resolve_overdue'),
	`escalated_at` datetime(3),
	`reopen_count` smallint unsigned NOT NULL DEFAULT 0,
	`urge_count` smallint unsigned NOT NULL DEFAULT 0,
	`last_urged_at` datetime(3),
	`rating_overall` tinyint unsigned,
	`rating_speed` tinyint unsigned,
	`rating_attitude` tinyint unsigned,
	`rating_text` varchar(500),
	`rated_at` datetime(3),
	`idempotency_key` varchar(80),
	`idempotency_hash` char(64),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `service_requests_id` PRIMARY KEY(`id`),
	CONSTRAINT `sr_idempotency` UNIQUE(`reporter_person_id`,`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `sr_categories` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`name` varchar(32) NOT NULL,
	`handler` enum('property','committee') NOT NULL,
	`urgency` enum('low','normal','high','urgent') NOT NULL DEFAULT 'normal',
	`accept_minutes` int unsigned NOT NULL,
	`resolve_minutes` int unsigned NOT NULL,
	`attributes` json NOT NULL,
	`position` smallint unsigned NOT NULL DEFAULT 100,
	`active` boolean NOT NULL DEFAULT true,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sr_categories_id` PRIMARY KEY(`id`),
	CONSTRAINT `sr_categories_name` UNIQUE(`community_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `sr_events` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`request_id` int unsigned NOT NULL,
	`seq` int unsigned NOT NULL,
	`action` varchar(16) NOT NULL,
	`from_status` enum('submitted','accepted','assigned','in_progress','resolved','closed','reopened','rejected','duplicate','cancelled'),
	`to_status` enum('submitted','accepted','assigned','in_progress','resolved','closed','reopened','rejected','duplicate','cancelled') NOT NULL,
	`actor_kind` enum('resident','property','committee','system') NOT NULL,
	`actor_person_id` int unsigned,
	`actor_label` varchar(64),
	`note` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sr_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `sr_events_seq` UNIQUE(`request_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `sr_followers` (
	`request_id` int unsigned NOT NULL,
	`person_id` int unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sr_followers_pk` PRIMARY KEY(`request_id`,`person_id`)
);
--> statement-breakpoint
CREATE TABLE `sr_photos` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`uploader_person_id` int unsigned NOT NULL,
	`request_id` int unsigned,
	`position` tinyint unsigned NOT NULL DEFAULT 0,
	`storage_key` varchar(128) NOT NULL,
	`content_type` varchar(16) NOT NULL,
	`bytes` int unsigned NOT NULL,
	`sha256` char(64) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `sr_photos_id` PRIMARY KEY(`id`),
	CONSTRAINT `sr_photos_key` UNIQUE(`storage_key`)
);
--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_community_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_category_fk` FOREIGN KEY (`category_id`) REFERENCES `sr_categories`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_reporter_fk` FOREIGN KEY (`reporter_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_company_fk` FOREIGN KEY (`property_company_id`) REFERENCES `property_companies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_building_fk` FOREIGN KEY (`building_id`) REFERENCES `buildings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_unit_fk` FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `service_requests` ADD CONSTRAINT `sr_duplicate_fk` FOREIGN KEY (`duplicate_of`) REFERENCES `service_requests`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_categories` ADD CONSTRAINT `sr_categories_community_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_events` ADD CONSTRAINT `sr_events_request_fk` FOREIGN KEY (`request_id`) REFERENCES `service_requests`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_events` ADD CONSTRAINT `sr_events_actor_fk` FOREIGN KEY (`actor_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_followers` ADD CONSTRAINT `sr_followers_request_fk` FOREIGN KEY (`request_id`) REFERENCES `service_requests`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_followers` ADD CONSTRAINT `sr_followers_person_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_photos` ADD CONSTRAINT `sr_photos_community_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_photos` ADD CONSTRAINT `sr_photos_uploader_fk` FOREIGN KEY (`uploader_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sr_photos` ADD CONSTRAINT `sr_photos_request_fk` FOREIGN KEY (`request_id`) REFERENCES `service_requests`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `sr_community_status` ON `service_requests` (`community_id`,`status`);--> statement-breakpoint
CREATE INDEX `sr_similar` ON `service_requests` (`community_id`,`category_id`,`building_id`,`status`);--> statement-breakpoint
CREATE INDEX `sr_board` ON `service_requests` (`community_id`,`building_id`,`status`);--> statement-breakpoint
CREATE INDEX `sr_reporter` ON `service_requests` (`reporter_person_id`,`community_id`);--> statement-breakpoint
CREATE INDEX `sr_company_created` ON `service_requests` (`property_company_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sr_community_created` ON `service_requests` (`community_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `sr_escalated` ON `service_requests` (`community_id`,`escalated_at`);--> statement-breakpoint
CREATE INDEX `sr_followers_person` ON `sr_followers` (`person_id`);--> statement-breakpoint
CREATE INDEX `sr_photos_request` ON `sr_photos` (`request_id`,`position`);--> statement-breakpoint
CREATE INDEX `sr_photos_uploader` ON `sr_photos` (`uploader_person_id`,`created_at`);