"""The check's tables: sessions, answers, results, re-check reminders."""
