CREATE TABLE `vote_ballots` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` int unsigned NOT NULL,
	`owner_key` varchar(40) NOT NULL,
	`revision` int unsigned NOT NULL,
	`cast_by_person_id` int unsigned NOT NULL,
	`proxy_id` int unsigned,
	`choices` json NOT NULL,
	`receipt` varchar(64) NOT NULL,
	`ballot_hash` char(64) NOT NULL,
	`idempotency_key` varchar(80) NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `vote_ballots_id` PRIMARY KEY(`id`),
	CONSTRAINT `vote_ballots_revision` UNIQUE(`vote_id`,`owner_key`,`revision`),
	CONSTRAINT `vote_ballots_receipt` UNIQUE(`vote_id`,`receipt`),
	CONSTRAINT `vote_ballots_idempotency` UNIQUE(`vote_id`,`cast_by_person_id`,`idempotency_key`)
);
--> statement-breakpoint
CREATE TABLE `vote_extensions` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` int unsigned NOT NULL,
	`from_at` datetime(3) NOT NULL,
	`to_at` datetime(3) NOT NULL,
	`reason` varchar(500) NOT NULL,
	`by_person_id` int unsigned NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `vote_extensions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `vote_matters` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` int unsigned NOT NULL,
	`position` int unsigned NOT NULL,
	`category` tinyint unsigned NOT NULL,
	`text` text NOT NULL,
	CONSTRAINT `vote_matters_id` PRIMARY KEY(`id`),
	CONSTRAINT `vote_matters_position` UNIQUE(`vote_id`,`position`)
);
--> statement-breakpoint
CREATE TABLE `vote_proxies` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` int unsigned NOT NULL,
	`owner_key` varchar(40) NOT NULL,
	`grantor_person_id` int unsigned NOT NULL,
	`proxy_name` varchar(32) NOT NULL,
	`proxy_phone_enc` varchar(128) NOT NULL,
	`proxy_phone_hash` varchar(64) NOT NULL,
	`authorization_text` text NOT NULL,
	`state` enum('active','used','revoked') NOT NULL DEFAULT 'active',
	`revoked_by` int unsigned,
	`revoked_at` datetime(3),
	`revoke_reason` varchar(200),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `vote_proxies_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `vote_roll_entries` (
	`vote_id` int unsigned NOT NULL,
	`owner_key` varchar(40) NOT NULL,
	`is_developer` boolean NOT NULL DEFAULT false,
	`holders_masked` json NOT NULL,
	`area_centi` bigint unsigned NOT NULL,
	`head_revision` int unsigned NOT NULL DEFAULT 0,
	CONSTRAINT `vote_roll_entries_vote_id_owner_key_pk` PRIMARY KEY(`vote_id`,`owner_key`)
);
--> statement-breakpoint
CREATE TABLE `vote_roll_units` (
	`vote_id` int unsigned NOT NULL,
	`unit_id` int unsigned NOT NULL,
	`owner_key` varchar(40) NOT NULL,
	`label` varchar(80) NOT NULL,
	`kind` enum('residence','parking','commercial') NOT NULL,
	`area_centi` int unsigned NOT NULL,
	`area_source` enum('register','survey','contract') NOT NULL,
	CONSTRAINT `vote_roll_units_vote_id_unit_id_pk` PRIMARY KEY(`vote_id`,`unit_id`)
);
--> statement-breakpoint
CREATE TABLE `vote_tallies` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`vote_id` int unsigned NOT NULL,
	`matter_id` int unsigned NOT NULL,
	`kind` enum('official','non_voters_follow_majority') NOT NULL,
	`figures` json NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `vote_tallies_id` PRIMARY KEY(`id`),
	CONSTRAINT `vote_tallies_unique` UNIQUE(`vote_id`,`matter_id`,`kind`)
);
--> statement-breakpoint
CREATE TABLE `votes` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`community_id` int unsigned NOT NULL,
	`title` varchar(100) NOT NULL,
	`notice_text` text NOT NULL,
	`state` enum('draft','published','open','closed','announced','cancelled') NOT NULL DEFAULT 'draft',
	`announced_at` datetime(3) NOT NULL,
	`opens_at` datetime(3) NOT NULL,
	`closes_at` datetime(3) NOT NULL,
	`hide_results_until_close` boolean NOT NULL DEFAULT true,
	`allow_change` boolean NOT NULL DEFAULT false,
	`non_voters_follow_majority` boolean NOT NULL DEFAULT false,
	`parking_counts` boolean NOT NULL DEFAULT false,
	`roll_fingerprint` char(64),
	`items_fingerprint` char(64),
	`total_area` bigint unsigned,
	`total_owners` int unsigned,
	`created_by` int unsigned NOT NULL,
	`published_at` datetime(3),
	`opened_at` datetime(3),
	`closed_at` datetime(3),
	`results_announced_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `votes_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `scheduled_jobs` (
	`id` int unsigned AUTO_INCREMENT NOT NULL,
	`kind` varchar(64) NOT NULL,
	`job_key` varchar(128) NOT NULL,
	`run_at` datetime(3) NOT NULL,
	`payload` json NOT NULL,
	`attempts` int unsigned NOT NULL DEFAULT 0,
	`last_error` varchar(500),
	`done_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	CONSTRAINT `scheduled_jobs_id` PRIMARY KEY(`id`),
	CONSTRAINT `scheduled_jobs_key` UNIQUE(`job_key`)
);
--> statement-breakpoint
ALTER TABLE `units` ADD `developer_held` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `vote_ballots` ADD CONSTRAINT `vote_ballots_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_ballots` ADD CONSTRAINT `vote_ballots_cast_by_person_id_persons_id_fk` FOREIGN KEY (`cast_by_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_ballots` ADD CONSTRAINT `vote_ballots_proxy_id_vote_proxies_id_fk` FOREIGN KEY (`proxy_id`) REFERENCES `vote_proxies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_extensions` ADD CONSTRAINT `vote_extensions_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_extensions` ADD CONSTRAINT `vote_extensions_by_person_id_persons_id_fk` FOREIGN KEY (`by_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_matters` ADD CONSTRAINT `vote_matters_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_proxies` ADD CONSTRAINT `vote_proxies_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_proxies` ADD CONSTRAINT `vote_proxies_grantor_person_id_persons_id_fk` FOREIGN KEY (`grantor_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_proxies` ADD CONSTRAINT `vote_proxies_revoked_by_persons_id_fk` FOREIGN KEY (`revoked_by`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_roll_entries` ADD CONSTRAINT `vote_roll_entries_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_roll_units` ADD CONSTRAINT `vote_roll_units_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_roll_units` ADD CONSTRAINT `vote_roll_units_unit_id_units_id_fk` FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_tallies` ADD CONSTRAINT `vote_tallies_vote_id_votes_id_fk` FOREIGN KEY (`vote_id`) REFERENCES `votes`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vote_tallies` ADD CONSTRAINT `vote_tallies_matter_id_vote_matters_id_fk` FOREIGN KEY (`matter_id`) REFERENCES `vote_matters`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `votes` ADD CONSTRAINT `votes_community_id_communities_id_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `votes` ADD CONSTRAINT `votes_created_by_persons_id_fk` FOREIGN KEY (`created_by`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `vote_proxies_entry` ON `vote_proxies` (`vote_id`,`owner_key`);--> statement-breakpoint
CREATE INDEX `vote_proxies_phone` ON `vote_proxies` (`vote_id`,`proxy_phone_hash`);--> statement-breakpoint
CREATE INDEX `vote_roll_entries_cast` ON `vote_roll_entries` (`vote_id`,`head_revision`);--> statement-breakpoint
CREATE INDEX `vote_roll_units_owner` ON `vote_roll_units` (`vote_id`,`owner_key`);--> statement-breakpoint
CREATE INDEX `vote_roll_units_unit` ON `vote_roll_units` (`unit_id`);--> statement-breakpoint
CREATE INDEX `votes_community_state` ON `votes` (`community_id`,`state`);--> statement-breakpoint
CREATE INDEX `scheduled_jobs_due` ON `scheduled_jobs` (`done_at`,`run_at`);