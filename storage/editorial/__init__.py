"""The editorial loop's tables: picks, content version, gap queue, learned questions."""
