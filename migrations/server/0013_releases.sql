CREATE TABLE "releases" (
	"platform" text NOT NULL,
	"version" text NOT NULL,
	"channel_file" text NOT NULL,
	"files" jsonb NOT NULL,
	"min_os" text,
	"rollout" jsonb NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"published_at" bigint NOT NULL,
	CONSTRAINT "releases_platform_version_pk" PRIMARY KEY("platform","version")
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "app_version" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "os_version" text;