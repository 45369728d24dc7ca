"""Intent recognition: embedded backend and Rasa client."""
