"""Network events' tables: events, RSVPs, announcements and the durable outbox."""
