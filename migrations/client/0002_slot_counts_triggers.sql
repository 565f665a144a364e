-- Keeps slot_counts (free slots per doctor-day and channel) equal to what the
-- slots table says, whatever code path changes a slot. A slot is free when no
-- appointment holds it and it is not blocked by an absence.
CREATE TRIGGER slot_counts_insert AFTER INSERT ON slots BEGIN
  INSERT INTO slot_counts (doctor_id, date, channel, specialty_id, free)
  VALUES (NEW.doctor_id, NEW.date, NEW.channel, NEW.specialty_id, (NEW.appointment_id IS NULL AND NEW.blocked = 0))
  ON CONFLICT (doctor_id, date, channel) DO UPDATE SET free = free + excluded.free;
END;
--> statement-breakpoint
CREATE TRIGGER slot_counts_delete AFTER DELETE ON slots BEGIN
  UPDATE slot_counts SET free = free - (OLD.appointment_id IS NULL AND OLD.blocked = 0)
  WHERE doctor_id = OLD.doctor_id AND date = OLD.date AND channel = OLD.channel;
END;
--> statement-breakpoint
CREATE TRIGGER slot_counts_update AFTER UPDATE OF appointment_id, blocked, channel ON slots BEGIN
  UPDATE slot_counts SET free = free - (OLD.appointment_id IS NULL AND OLD.blocked = 0)
  WHERE doctor_id = OLD.doctor_id AND date = OLD.date AND channel = OLD.channel;
  INSERT INTO slot_counts (doctor_id, date, channel, specialty_id, free)
  VALUES (NEW.doctor_id, NEW.date, NEW.channel, NEW.specialty_id, (NEW.appointment_id IS NULL AND NEW.blocked = 0))
  ON CONFLICT (doctor_id, date, channel) DO UPDATE SET free = free + excluded.free;
END;
--> statement-breakpoint
INSERT INTO slot_counts (doctor_id, date, channel, specialty_id, free)
SELECT doctor_id, date, channel, specialty_id, sum(appointment_id IS NULL AND blocked = 0) FROM slots GROUP BY doctor_id, date, channel;
