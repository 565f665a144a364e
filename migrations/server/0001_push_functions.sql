-- The push hot path as server functions: PL/pgSQL keeps each statement's plan for the
-- session, so an op costs a few cheap calls instead of freshly planned statements.

-- Lock the organization (every writer of one organization queues here, across server
-- processes: the change log's order is its commit order), lock the device row, and
-- return where the device stands.
CREATE OR REPLACE FUNCTION kezek_position(p_org text, p_device text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE v_last integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(p_org));
  SELECT last_applied_seq INTO v_last FROM devices WHERE id = p_device FOR UPDATE;
  RETURN v_last;
END $$;
--> statement-breakpoint
-- Store an appointment together with its change-log entry; returns the entry's sequence.
CREATE OR REPLACE FUNCTION kezek_put_appointment(p_org text, p_id text, p_patient text, p_slot text, p_status text, p_state text, p_row jsonb, p_at bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE v_seq bigint;
BEGIN
  INSERT INTO change_log (org_id, entity, entity_id, op, row, at) VALUES (p_org, 'appointment', p_id, 'put', p_row, p_at) RETURNING seq INTO v_seq;
  INSERT INTO appointments (id, org_id, patient_id, slot_id, status, sync_state, row, server_seq)
  VALUES (p_id, p_org, p_patient, p_slot, p_status, p_state, p_row, v_seq)
  ON CONFLICT (id) DO UPDATE SET status = excluded.status, sync_state = excluded.sync_state, row = excluded.row, server_seq = excluded.server_seq;
  RETURN v_seq;
END $$;
--> statement-breakpoint
-- Record an op's result, its change-log entry and the device's new position.
CREATE OR REPLACE FUNCTION kezek_record(p_org text, p_device text, p_seq integer, p_op text, p_status text, p_detail text, p_at bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE v_seq bigint;
BEGIN
  INSERT INTO change_log (org_id, entity, entity_id, op, row, at)
  VALUES (p_org, 'op_result', p_device || ':' || p_seq, 'put',
          jsonb_build_object('deviceId', p_device, 'seq', p_seq, 'opId', p_op, 'status', p_status, 'detail', p_detail), p_at)
  RETURNING seq INTO v_seq;
  INSERT INTO op_results (device_id, device_seq, op_id, org_id, status, result, server_seq)
  VALUES (p_device, p_seq, p_op, p_org, p_status, jsonb_build_object('detail', p_detail), v_seq);
  UPDATE devices SET last_applied_seq = p_seq, last_seen_at = p_at WHERE id = p_device;
END $$;
--> statement-breakpoint
-- Is this booking already known, and is its slot taken by a confirmed booking?
CREATE OR REPLACE FUNCTION kezek_slot_state(p_org text, p_id text, p_slot text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM appointments WHERE id = p_id) THEN RETURN 'known'; END IF;
  IF EXISTS (SELECT 1 FROM appointments WHERE org_id = p_org AND slot_id = p_slot AND sync_state = 'confirmed' AND status IN ('booked', 'arrived', 'fulfilled')) THEN RETURN 'taken'; END IF;
  RETURN 'free';
END $$;
