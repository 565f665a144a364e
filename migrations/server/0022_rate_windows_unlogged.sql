-- Rate-limit counts are written on every request of the booking API and the patient page. Unlogged: no WAL, so
-- their commits do not wait for a disk flush (in the morning rush this was the most frequent write). After a crash
-- PostgreSQL empties an unlogged table — the counts start again from zero, which a limit per minute can afford —
-- and standbys do not carry it; nothing else is lost.
ALTER TABLE "rate_windows" SET UNLOGGED;
