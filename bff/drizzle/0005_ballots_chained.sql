-- A proxy's "used" is no longer stored: it is whether a ballot names the proxy.
UPDATE `vote_proxies` SET `state` = 'active' WHERE `state` = 'used';--> statement-breakpoint
ALTER TABLE `vote_proxies` MODIFY COLUMN `state` enum('active','revoked') NOT NULL DEFAULT 'active';--> statement-breakpoint
-- Ballots are chained into their vote's log after they commit; those cast before this change already are.
ALTER TABLE `vote_ballots` ADD `audit_seq` int unsigned;--> statement-breakpoint
UPDATE `vote_ballots` b JOIN `audit_events` e ON e.`stream` = CONCAT('vote:', b.`vote_id`) AND e.`subject_type` = 'ballot' AND e.`subject_id` = b.`receipt` SET b.`audit_seq` = e.`seq`;--> statement-breakpoint
CREATE INDEX `vote_ballots_chain` ON `vote_ballots` (`vote_id`,`audit_seq`);--> statement-breakpoint
-- The owner's active proxy sits on the roll entry, which every ballot for that owner reads anyway.
ALTER TABLE `vote_roll_entries` ADD `proxy_id` int unsigned;--> statement-breakpoint
UPDATE `vote_roll_entries` e JOIN `vote_proxies` p ON p.`vote_id` = e.`vote_id` AND p.`owner_key` = e.`owner_key` AND p.`state` = 'active' SET e.`proxy_id` = p.`id`;--> statement-breakpoint
-- The ballot that counts is the owner's highest revision: no separate head pointer to keep in step.
DROP INDEX `vote_roll_entries_cast` ON `vote_roll_entries`;--> statement-breakpoint
ALTER TABLE `vote_roll_entries` DROP COLUMN `head_revision`;
