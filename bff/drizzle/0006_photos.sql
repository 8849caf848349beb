-- One table of uploaded photos for every feature: service requests' photos, and now photos of a proxy's signed
-- authorisation (委托书). Existing photos keep their ids (links signed before stay valid until they expire).
ALTER TABLE `sr_photos` DROP FOREIGN KEY `sr_photos_community_fk`;--> statement-breakpoint
ALTER TABLE `sr_photos` DROP FOREIGN KEY `sr_photos_uploader_fk`;--> statement-breakpoint
ALTER TABLE `sr_photos` DROP FOREIGN KEY `sr_photos_request_fk`;--> statement-breakpoint
RENAME TABLE `sr_photos` TO `photos`;--> statement-breakpoint
ALTER TABLE `photos` DROP INDEX `sr_photos_key`;--> statement-breakpoint
DROP INDEX `sr_photos_request` ON `photos`;--> statement-breakpoint
DROP INDEX `sr_photos_uploader` ON `photos`;--> statement-breakpoint
ALTER TABLE `photos` ADD `proxy_id` int unsigned;--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_key` UNIQUE(`storage_key`);--> statement-breakpoint
CREATE INDEX `photos_request` ON `photos` (`request_id`,`position`);--> statement-breakpoint
CREATE INDEX `photos_proxy` ON `photos` (`proxy_id`,`position`);--> statement-breakpoint
CREATE INDEX `photos_uploader` ON `photos` (`uploader_person_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_community_fk` FOREIGN KEY (`community_id`) REFERENCES `communities`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_uploader_fk` FOREIGN KEY (`uploader_person_id`) REFERENCES `persons`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_request_fk` FOREIGN KEY (`request_id`) REFERENCES `service_requests`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `photos` ADD CONSTRAINT `photos_proxy_fk` FOREIGN KEY (`proxy_id`) REFERENCES `vote_proxies`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A proxy's authorisation may be photos of the signed paper instead of typed text.
ALTER TABLE `vote_proxies` MODIFY COLUMN `authorization_text` text;
--> statement-breakpoint
-- The clean-up timers of photos still waiting to be attached belong to the photos module now.
UPDATE `scheduled_jobs` SET `kind` = 'photo.gc', `job_key` = REPLACE(`job_key`, 'sr.photo_gc:', 'photo.gc:') WHERE `kind` = 'sr.photo_gc';
