-- The sync server's PL/pgSQL, in one place: what runs today is what this file says.
-- Applied after the migrations on every start (sync-server/db/connect.ts), so a function's
-- current definition is read here, not pieced together from the migrations that once created
-- it (0001, 0003, 0006, 0008 hold their history). Each statement is idempotent. A change of a
-- signature drops the old one first. The decisions stay the shared TypeScript rules'; these
-- only make the hot path one round trip (tests/integration/slot-state-parity.test.ts runs a
-- table of cases through both).

-- The organization's lock serializes every writer of the organization (and so of the device):
-- the device row needs no row lock of its own. Returns the device's last applied op number.
CREATE OR REPLACE FUNCTION kezek_position(p_org text, p_device text) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE v_last integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(p_org));
  SELECT last_applied_seq INTO v_last FROM devices WHERE id = p_device;
  RETURN v_last;
END $$;

-- Is this booking known; else who holds its slot: a confirmed booking ('taken'), another
-- device's lease not yet past its reclaim time ('leased'), or nobody ('free'). The caller holds
-- the organization's lock. The lease rule is the server half of the lease invariant
-- (sync-server/sync/leases.ts); the statuses are ACTIVE_STATUSES (src-shared/domain/enums.ts).
CREATE OR REPLACE FUNCTION kezek_slot_state(p_org text, p_id text, p_slot text, p_device text, p_now bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM appointments WHERE org_id = p_org AND id = p_id) THEN RETURN 'known'; END IF;
  IF EXISTS (SELECT 1 FROM appointments WHERE org_id = p_org AND slot_id = p_slot AND sync_state = 'confirmed' AND status IN ('booked', 'arrived', 'fulfilled')) THEN RETURN 'taken'; END IF;
  IF EXISTS (SELECT 1 FROM slot_leases l JOIN lease_sets s ON s.device_id = l.device_id
             WHERE l.org_id = p_org AND l.slot_id = p_slot AND l.device_id <> p_device AND s.reclaim_after > p_now) THEN RETURN 'leased'; END IF;
  RETURN 'free';
END $$;

-- Store an appointment: its row goes to the change log only; the appointments table keeps
-- what the rules check and the sequence of the entry holding the row (ids are per organization).
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

-- Record an op's result and the device's new position. The result takes a place in the
-- change log's order after the op's own changes (a pull hands it over with them) without a
-- change-log row of its own.
CREATE OR REPLACE FUNCTION kezek_record(p_org text, p_device text, p_seq integer, p_op text, p_status text, p_detail text, p_at bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO op_results (device_id, device_seq, op_id, org_id, status, result, server_seq)
  VALUES (p_device, p_seq, p_op, p_org, p_status, jsonb_build_object('detail', p_detail), nextval('change_log_seq_seq'));
  UPDATE devices SET last_applied_seq = p_seq, last_seen_at = p_at WHERE id = p_device;
END $$;

-- The common case of a push: a run of new bookings of free slots, by the next ops in the
-- device's sequence, in one call and one round trip — and still each op in its own
-- transaction (a COMMIT per op). The rules judged these bookings on the organization's
-- directory as of `p_dir_version`, before the lock: if the directory moved since (an absence
-- committed meanwhile, issue 19 finding 3), the procedure stops and the general path judges
-- again under the lock. The unique indexes decide "already known" and "slot taken" in the
-- insert itself (ON CONFLICT DO NOTHING). At the first op that is anything else — a repeat, a
-- gap, a taken or leased slot that needs a conflict task with alternatives — the procedure
-- stops with that op's writes undone and says how many ops it committed.
DROP PROCEDURE IF EXISTS kezek_push_books(text, text, integer[], text[], text[], text[], text[], jsonb[], bigint, integer);
CREATE OR REPLACE PROCEDURE kezek_push_books(p_org text, p_device text, p_dir_version bigint, p_seqs integer[], p_ops text[], p_ids text[], p_patients text[], p_slots text[], p_rows jsonb[], p_now bigint, INOUT p_done integer)
LANGUAGE plpgsql AS $$
DECLARE i integer; v_seq bigint;
BEGIN
  p_done := 0;
  FOR i IN 1 .. coalesce(array_length(p_seqs, 1), 0) LOOP
    PERFORM pg_advisory_xact_lock(hashtext(p_org));
    EXIT WHEN (SELECT directory_version FROM organizations WHERE id = p_org) IS DISTINCT FROM p_dir_version;
    EXIT WHEN EXISTS (SELECT 1 FROM slot_leases l JOIN lease_sets s ON s.device_id = l.device_id
                      WHERE l.org_id = p_org AND l.slot_id = p_slots[i] AND l.device_id <> p_device AND s.reclaim_after > p_now);
    v_seq := nextval('change_log_seq_seq');
    INSERT INTO appointments (id, org_id, patient_id, slot_id, status, sync_state, server_seq)
    VALUES (p_ids[i], p_org, p_patients[i], p_slots[i], 'booked', 'confirmed', v_seq) ON CONFLICT DO NOTHING;
    EXIT WHEN NOT FOUND;
    UPDATE devices SET last_applied_seq = p_seqs[i], last_seen_at = p_now WHERE id = p_device AND last_applied_seq = p_seqs[i] - 1;
    IF NOT FOUND THEN
      ROLLBACK;
      EXIT;
    END IF;
    INSERT INTO change_log (seq, org_id, entity, entity_id, op, row, at) VALUES (v_seq, p_org, 'appointment', p_ids[i], 'put', p_rows[i], p_now);
    INSERT INTO op_results (device_id, device_seq, op_id, org_id, status, result, server_seq)
    VALUES (p_device, p_seqs[i], p_ops[i], p_org, 'applied', '{"detail":"confirmed"}', v_seq);
    COMMIT;
    p_done := i;
  END LOOP;
END $$;

-- The booking API's $book in one statement (issue 20), so the organization's lock is held for one round trip, not
-- for a transaction of many: the rules were judged in TypeScript before it (judgeBooking on the directory as of
-- `p_dir_version`, with the patient's history for R10), and here, under the lock, what can change in between: the
-- directory (moved: 'retry', the caller judges again), the hold ('hold_expired', 'not_yours'), the time (booked,
-- under a desk's lease, or held for someone else: 'slot_taken'), R11's count of the patient's bookings of the
-- specialty that day ('electronic_daily_limit'). Then the ticket's number, the booking, its change-log row, and the
-- patient's holds gone. Returns the outcome and, booked, the change-log sequence and the ticket code.
CREATE OR REPLACE FUNCTION kezek_api_book(p_org text, p_device text, p_dir_version bigint, p_hold text, p_patient text, p_slot text, p_id text, p_specialty text,
  p_date text, p_limit integer, p_row jsonb, p_now bigint, OUT outcome text, OUT seq bigint, OUT ticket text)
LANGUAGE plpgsql AS $$
DECLARE v_hold slot_holds%ROWTYPE; v_prefix text; v_n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(p_org));
  IF (SELECT directory_version FROM organizations WHERE id = p_org) IS DISTINCT FROM p_dir_version THEN outcome := 'retry'; RETURN; END IF;
  IF p_hold IS NOT NULL THEN
    SELECT * INTO v_hold FROM slot_holds WHERE id = p_hold;
    IF NOT FOUND OR v_hold.patient_id <> p_patient OR v_hold.org_id <> p_org OR v_hold.slot_id <> p_slot THEN outcome := 'not_yours'; RETURN; END IF;
    IF v_hold.expires_at <= p_now THEN outcome := 'hold_expired'; RETURN; END IF;
  END IF;
  IF kezek_slot_state(p_org, p_id, p_slot, p_device, p_now) <> 'free'
     OR EXISTS (SELECT 1 FROM slot_holds WHERE org_id = p_org AND slot_id = p_slot AND expires_at > p_now AND patient_id <> p_patient) THEN
    outcome := 'slot_taken'; RETURN;
  END IF;
  IF p_limit > 0 AND (SELECT count(*) FROM appointments a JOIN change_log c ON c.org_id = a.org_id AND c.seq = a.server_seq
                      WHERE a.org_id = p_org AND a.patient_id = p_patient AND a.sync_state = 'confirmed' AND a.status IN ('booked', 'arrived', 'fulfilled')
                        AND c.row->>'specialtyId' = p_specialty AND c.row->>'date' = p_date) >= p_limit THEN
    outcome := 'electronic_daily_limit'; RETURN;
  END IF;
  UPDATE devices SET ticket_seq = ticket_seq + 1 WHERE id = p_device RETURNING ticket_prefix, ticket_seq INTO v_prefix, v_n;
  ticket := v_prefix || lpad(v_n::text, 6, '0');
  seq := kezek_put_appointment(p_org, p_id, p_patient, p_slot, 'booked', 'confirmed', jsonb_set(p_row, '{ticketCode}', to_jsonb(ticket)), p_now);
  DELETE FROM slot_holds WHERE org_id = p_org AND patient_id = p_patient;
  outcome := 'booked';
END $$;

-- The booking API's $hold in one statement (issue 20): the rules were judged in TypeScript before it, as for $book;
-- here what a hold must not take — a time booked, under another device's lease, or held by someone else and not yet
-- expired (the ON CONFLICT's WHERE) — and the patient's other hold let go (one hold a patient). No organization lock:
-- a hold decides nothing for good, $book judges again under the lock. Returns 'held' or 'slot_taken'.
CREATE OR REPLACE FUNCTION kezek_api_hold(p_org text, p_id text, p_slot text, p_patient text, p_client text, p_device text, p_expires bigint, p_now bigint) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  IF kezek_slot_state(p_org, p_id, p_slot, p_device, p_now) <> 'free' THEN RETURN 'slot_taken'; END IF;
  DELETE FROM slot_holds WHERE org_id = p_org AND patient_id = p_patient AND slot_id <> p_slot;
  INSERT INTO slot_holds (id, org_id, slot_id, patient_id, client_id, expires_at) VALUES (p_id, p_org, p_slot, p_patient, p_client, p_expires)
  ON CONFLICT (org_id, slot_id) DO UPDATE SET id = excluded.id, patient_id = excluded.patient_id, client_id = excluded.client_id, expires_at = excluded.expires_at
    WHERE slot_holds.expires_at <= p_now OR slot_holds.patient_id = excluded.patient_id;
  IF NOT FOUND THEN RETURN 'slot_taken'; END IF;
  RETURN 'held';
END $$;

-- $book's group commit (api/book-batch.ts): the bookings of one organization that arrived while its previous batch
-- was being written, decided one after another in one transaction — each exactly as kezek_api_book alone would (a
-- later one sees the earlier ones: the same time twice is slot_taken, R11 counts them) — for one commit instead of one
-- each. An item that fails for an unexpected reason is rolled back alone (its subtransaction) and answered 'error'.
CREATE OR REPLACE FUNCTION kezek_api_book_batch(p_org text, p_items jsonb)
RETURNS TABLE (outcome text, seq bigint, ticket text)
LANGUAGE plpgsql AS $$
DECLARE v jsonb; r record;
BEGIN
  FOR v IN SELECT x FROM jsonb_array_elements(p_items) AS t(x) LOOP
    BEGIN
      SELECT * INTO r FROM kezek_api_book(p_org, v->>'device', (v->>'dirVersion')::bigint, v->>'hold', v->>'patient', v->>'slot', v->>'id',
        v->>'specialty', v->>'date', (v->>'limit')::integer, v->'row', (v->>'now')::bigint);
      outcome := r.outcome; seq := r.seq; ticket := r.ticket;
    EXCEPTION WHEN OTHERS THEN
      outcome := 'error: ' || SQLERRM; seq := NULL; ticket := NULL;
    END;
    RETURN NEXT;
  END LOOP;
END $$;

-- The message outbox's producer (issue 20, sync-server/messages/): every change a patient is told about enqueues
-- its message in the change's own transaction, whichever path made it — a desk's push (these SQL functions or the
-- general path), the booking API, an absence. One row per (booking version, kind) (patient_messages_once).
-- A new confirmed booking: a confirmation, or, when it replaces another (a move, booking-mutators.ts), one "moved"
-- notice instead of the replaced booking's cancellation, which this same transaction enqueued a moment before.
-- A booking cancelled: a cancellation. Whether the patient gets it (channel, phone, night) the sender decides.
CREATE OR REPLACE FUNCTION kezek_booking_message() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE v_kind text; v_replaces text;
BEGIN
  IF NEW.sync_state <> 'confirmed' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.status <> 'booked' THEN RETURN NULL; END IF;
    SELECT row->>'replacesId' INTO v_replaces FROM change_log WHERE org_id = NEW.org_id AND seq = NEW.server_seq;
    IF v_replaces IS NULL THEN
      v_kind := 'confirmation';
    ELSE
      DELETE FROM patient_messages WHERE org_id = NEW.org_id AND appointment_id = v_replaces AND kind = 'cancellation' AND status = 'pending';
      v_kind := 'moved';
    END IF;
  ELSIF NEW.status = 'cancelled' AND OLD.status IS DISTINCT FROM 'cancelled' THEN
    v_kind := 'cancellation';
  ELSE
    RETURN NULL;
  END IF;
  INSERT INTO patient_messages (org_id, patient_id, appointment_id, version, kind, created_at)
  VALUES (NEW.org_id, NEW.patient_id, NEW.id, NEW.server_seq, v_kind, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER kezek_booking_message AFTER INSERT OR UPDATE ON appointments FOR EACH ROW EXECUTE FUNCTION kezek_booking_message();

-- A call-the-patient task for a booking (R8: an absence or a changed schedule took its time; R4: a booking made
-- offline lost its slot): the change notice P15 asks for, besides the call list.
CREATE OR REPLACE FUNCTION kezek_task_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.kind = 'call_patient' AND NEW.row->>'appointmentId' IS NOT NULL AND NEW.row->>'patientId' IS NOT NULL THEN
    INSERT INTO patient_messages (org_id, patient_id, appointment_id, version, kind, created_at)
    VALUES (NEW.org_id, NEW.row->>'patientId', NEW.row->>'appointmentId', NEW.server_seq, 'change', (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER kezek_task_message AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION kezek_task_message();
