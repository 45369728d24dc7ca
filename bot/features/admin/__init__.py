"""Editor statistics (/statistik) with its weekly chart, for ``ADMIN_IDS`` only."""
