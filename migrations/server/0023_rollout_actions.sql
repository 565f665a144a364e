CREATE TABLE "rollout_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"n" bigserial NOT NULL,
	"at" bigint NOT NULL,
	"installer" text NOT NULL,
	"platform" text NOT NULL,
	"version" text NOT NULL,
	"region_id" text NOT NULL,
	"action" text NOT NULL,
	"detail" text NOT NULL
);
