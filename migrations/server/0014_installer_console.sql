CREATE TABLE "console_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"installer_id" text NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "installers" (
	"id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"regions" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	CONSTRAINT "installers_username_unique" UNIQUE("username")
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "status" jsonb;