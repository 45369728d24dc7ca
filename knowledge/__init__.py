"""Knowledge-base content, questionnaire and retrieval."""
