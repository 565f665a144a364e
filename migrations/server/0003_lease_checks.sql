-- Is this booking already known; is its slot taken by a confirmed booking; or is it
-- leased to another device that may still use the lease offline (expiry + grace
-- not yet passed)? Replaces the lease-unaware check of 0001.
DROP FUNCTION IF EXISTS kezek_slot_state(text, text, text);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kezek_slot_state(p_org text, p_id text, p_slot text, p_device text, p_now bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM appointments WHERE id = p_id) THEN RETURN 'known'; END IF;
  IF EXISTS (SELECT 1 FROM appointments WHERE org_id = p_org AND slot_id = p_slot AND sync_state = 'confirmed' AND status IN ('booked', 'arrived', 'fulfilled')) THEN RETURN 'taken'; END IF;
  IF EXISTS (SELECT 1 FROM slot_leases l JOIN lease_sets s ON s.device_id = l.device_id
             WHERE l.org_id = p_org AND l.slot_id = p_slot AND l.device_id <> p_device AND s.reclaim_after > p_now) THEN RETURN 'leased'; END IF;
  RETURN 'free';
END $$;
