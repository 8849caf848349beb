CREATE TABLE `buildings` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`name` varchar(32) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `buildings_id` PRIMARY KEY(`id`),
	CONSTRAINT `buildings_community_name` UNIQUE(`community_id`,`name`)
);
--> statement-breakpoint
CREATE TABLE `communities` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(64) NOT NULL,
	`district` varchar(64) NOT NULL DEFAULT '',
	`address` varchar(200) NOT NULL DEFAULT '',
	`settings` json NOT NULL DEFAULT ('{}'),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `communities_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `roster_owners` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`unit_id` int unsigned NOT NULL,
	`position` int unsigned NOT NULL,
	`name` varchar(64) NOT NULL,
	`phone_enc` varchar(128),
	`phone_hash` varchar(64),
	CONSTRAINT `roster_owners_id` PRIMARY KEY(`id`),
	CONSTRAINT `roster_owners_unit_position` UNIQUE(`unit_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `units` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`building_id` int unsigned NOT NULL,
	`number` varchar(32) NOT NULL,
	`kind` enum('residence','parking','commercial') NOT NULL DEFAULT 'residence',
	`area_centi` int unsigned NOT NULL,
	`area_source` enum('register','survey','contract') NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `units_id` PRIMARY KEY(`id`),
	CONSTRAINT `units_building_number` UNIQUE(`building_id`,`number`)
);
--> statement-breakpoint
CREATE TABLE `persons` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`appid` varchar(32) NOT NULL,
	`openid` varchar(64) NOT NULL,
	`unionid` varchar(64),
	`display_name` varchar(32) NOT NULL,
	`phone_enc` varchar(128),
	`phone_hash` varchar(64),
	`is_platform_admin` boolean NOT NULL DEFAULT false,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `persons_id` PRIMARY KEY(`id`),
	CONSTRAINT `persons_app_openid` UNIQUE(`appid`,`openid`)
);
--> statement-breakpoint
CREATE TABLE `community_roles` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`person_id` int unsigned NOT NULL,
	`role` enum('committee','worker') NOT NULL,
	`granted_by` int unsigned,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `community_roles_id` PRIMARY KEY(`id`),
	CONSTRAINT `community_roles_unique` UNIQUE(`community_id`,`person_id`,`role`)
);
--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`person_id` int unsigned NOT NULL,
	`unit_id` int unsigned NOT NULL,
	`community_id` int unsigned NOT NULL,
	`relation` enum('owner','co_owner','family','tenant') NOT NULL,
	`state` enum('pending','verified','rejected') NOT NULL DEFAULT 'pending',
	`method` enum('roster_phone','committee_review'),
	`reviewed_by` int unsigned,
	`reviewed_at` datetime(3),
	`reject_reason` varchar(200),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `memberships_id` PRIMARY KEY(`id`),
	CONSTRAINT `memberships_person_unit` UNIQUE(`person_id`,`unit_id`)
);
--> statement-breakpoint
CREATE TABLE `property_contracts` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`property_company_id` int unsigned NOT NULL,
	`starts_on` date NOT NULL,
	`ends_on` date,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `property_contracts_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `property_companies` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(100) NOT NULL,
	`credit_code` varchar(18) NOT NULL,
	`contact_name` varchar(32) NOT NULL DEFAULT '',
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `property_companies_id` PRIMARY KEY(`id`),
	CONSTRAINT `property_companies_credit_code` UNIQUE(`credit_code`)
);
--> statement-breakpoint
CREATE TABLE `refresh_tokens` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`family_id` char(32) NOT NULL,
	`person_id` int unsigned NOT NULL,
	`token_hash` char(64) NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	`used_at` datetime(3),
	`revoked_at` datetime(3),
	`user_agent` varchar(200),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `refresh_tokens_id` PRIMARY KEY(`id`),
	CONSTRAINT `refresh_tokens_hash` UNIQUE(`token_hash`)
);
--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`stream` varchar(64) NOT NULL,
	`seq` int unsigned NOT NULL,
	`prev_hash` char(64) NOT NULL,
	`hash` char(64) NOT NULL,
	`action` varchar(64) NOT NULL,
	`actor_person_id` int unsigned,
	`subject_type` varchar(32) NOT NULL,
	`subject_id` varchar(64) NOT NULL,
	`data` json NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `audit_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `audit_events_stream_seq` UNIQUE(`stream`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `audit_streams` (
	`stream` varchar(64) NOT NULL,
	`head_seq` int unsigned NOT NULL DEFAULT 0,
	`head_hash` char(64) NOT NULL,
	CONSTRAINT `audit_streams_stream` PRIMARY KEY(`stream`)
);
--> statement-breakpoint
ALTER TABLE `buildings` ADD CONSTRAINT `buildings_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `roster_owners` ADD CONSTRAINT `roster_owners_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `roster_owners` ADD CONSTRAINT `roster_owners_unit_id_units_id_fk` FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `units` ADD CONSTRAINT `units_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `units` ADD CONSTRAINT `units_building_id_buildings_id_fk` FOREIGN KEY (`building_id`) REFERENCES `buildings`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `community_roles` ADD CONSTRAINT `community_roles_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `community_roles` ADD CONSTRAINT `community_roles_person_id_persons_id_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `community_roles` ADD CONSTRAINT `community_roles_granted_by_persons_id_fk` FOREIGN KEY (`granted_by`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_person_id_persons_id_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_unit_id_units_id_fk` FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `memberships` ADD CONSTRAINT `memberships_reviewed_by_persons_id_fk` FOREIGN KEY (`reviewed_by`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `property_contracts` ADD CONSTRAINT `property_contracts_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `property_contracts` ADD CONSTRAINT `property_contracts_property_company_id_property_companies_id_fk` FOREIGN KEY (`property_company_id`) REFERENCES `property_companies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `refresh_tokens` ADD CONSTRAINT `refresh_tokens_person_id_persons_id_fk` FOREIGN KEY (`person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `roster_owners_phone` ON `roster_owners` (`phone_hash`);--> statement-breakpoint
CREATE INDEX `units_community` ON `units` (`community_id`);--> statement-breakpoint
CREATE INDEX `persons_unionid` ON `persons` (`unionid`);--> statement-breakpoint
CREATE INDEX `persons_phone` ON `persons` (`phone_hash`);--> statement-breakpoint
CREATE INDEX `community_roles_person` ON `community_roles` (`person_id`);--> statement-breakpoint
CREATE INDEX `memberships_community_state` ON `memberships` (`community_id`,`state`);--> statement-breakpoint
CREATE INDEX `memberships_unit` ON `memberships` (`unit_id`);--> statement-breakpoint
CREATE INDEX `property_contracts_community` ON `property_contracts` (`community_id`);--> statement-breakpoint
CREATE INDEX `property_contracts_company` ON `property_contracts` (`property_company_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_family` ON `refresh_tokens` (`family_id`);--> statement-breakpoint
CREATE INDEX `refresh_tokens_person` ON `refresh_tokens` (`person_id`);--> statement-breakpoint
CREATE INDEX `audit_events_subject` ON `audit_events` (`subject_type`,`subject_id`);