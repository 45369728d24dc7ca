"""The Förderradar's tables: funding calls and radar subscriptions."""
