-- The push functions with appointment ids scoped per organization (0007): a booking whose id
-- exists only in another organization is a new booking here, never "already known".
CREATE OR REPLACE FUNCTION kezek_slot_state(p_org text, p_id text, p_slot text, p_device text, p_now bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM appointments WHERE org_id = p_org AND id = p_id) THEN RETURN 'known'; END IF;
  IF EXISTS (SELECT 1 FROM appointments WHERE org_id = p_org AND slot_id = p_slot AND sync_state = 'confirmed' AND status IN ('booked', 'arrived', 'fulfilled')) THEN RETURN 'taken'; END IF;
  IF EXISTS (SELECT 1 FROM slot_leases l JOIN lease_sets s ON s.device_id = l.device_id
             WHERE l.org_id = p_org AND l.slot_id = p_slot AND l.device_id <> p_device AND s.reclaim_after > p_now) THEN RETURN 'leased'; END IF;
  RETURN 'free';
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION kezek_put_appointment(p_org text, p_id text, p_patient text, p_slot text, p_status text, p_state text, p_row jsonb, p_at bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE v_seq bigint;
BEGIN
  INSERT INTO change_log (org_id, entity, entity_id, op, row, at) VALUES (p_org, 'appointment', p_id, 'put', p_row, p_at) RETURNING seq INTO v_seq;
  INSERT INTO appointments (id, org_id, patient_id, slot_id, status, sync_state, server_seq)
  VALUES (p_id, p_org, p_patient, p_slot, p_status, p_state, v_seq)
  ON CONFLICT (org_id, id) DO UPDATE SET status = excluded.status, sync_state = excluded.sync_state, server_seq = excluded.server_seq;
  RETURN v_seq;
END $$;
