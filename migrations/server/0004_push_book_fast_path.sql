-- The common case of a push in one call: a new booking of a free slot, by the next op
-- in the device's sequence. Autocommitted, it costs one round trip and one commit, as
-- the one-row INSERT baseline does. Every other case (a repeat, a gap, a taken or
-- leased slot needing a conflict task with alternatives) returns 'fallback' having
-- written nothing, and the server runs the general path in its own transaction.
CREATE OR REPLACE FUNCTION kezek_push_book(p_org text, p_device text, p_seq integer, p_op text, p_id text, p_patient text, p_slot text, p_status text, p_row jsonb, p_now bigint) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE v_last integer; v_state text;
BEGIN
  v_last := kezek_position(p_org, p_device);
  IF p_seq <> v_last + 1 THEN RETURN 'fallback'; END IF;
  v_state := kezek_slot_state(p_org, p_id, p_slot, p_device, p_now);
  IF v_state = 'known' THEN
    PERFORM kezek_record(p_org, p_device, p_seq, p_op, 'applied', 'already_known', p_now);
    RETURN 'already_known';
  END IF;
  IF v_state <> 'free' THEN RETURN 'fallback'; END IF;
  PERFORM kezek_put_appointment(p_org, p_id, p_patient, p_slot, p_status, 'confirmed', p_row, p_now);
  PERFORM kezek_record(p_org, p_device, p_seq, p_op, 'applied', 'confirmed', p_now);
  RETURN 'confirmed';
END $$;
