CREATE TABLE "referral_uses" (
	"org_id" text NOT NULL,
	"referral_id" text NOT NULL,
	"appointment_id" text NOT NULL,
	CONSTRAINT "referral_uses_org_id_referral_id_pk" PRIMARY KEY("org_id","referral_id")
);
--> statement-breakpoint
CREATE INDEX "referral_uses_by_appointment" ON "referral_uses" USING btree ("org_id","appointment_id");--> statement-breakpoint
-- Referrals spent before this table existed: the bookings' own rows name them.
INSERT INTO "referral_uses" ("org_id", "referral_id", "appointment_id")
SELECT DISTINCT ON (a."org_id", c."row"->>'referralId') a."org_id", c."row"->>'referralId', a."id"
FROM "appointments" a JOIN "change_log" c ON c."org_id" = a."org_id" AND c."seq" = a."server_seq"
WHERE a."status" <> 'cancelled' AND a."sync_state" = 'confirmed' AND c."row"->>'referralId' IS NOT NULL
ORDER BY a."org_id", c."row"->>'referralId', a."server_seq";
