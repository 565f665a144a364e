CREATE TABLE "patient_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"expires_at" bigint NOT NULL
);
