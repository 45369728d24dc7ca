# Digilotse bot image: runtime dependencies only (requirements/runtime.txt), then the package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 TZ=Europe/Berlin
WORKDIR /app

# Pango, HarfBuzz's subsetter and a font for WeasyPrint (the check's PDF report).
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY requirements/runtime.txt requirements/runtime.txt
RUN pip install --no-cache-dir -r requirements/runtime.txt

COPY pyproject.toml README.md ./
COPY bot bot
COPY nlu nlu
COPY knowledge knowledge
COPY storage storage
RUN pip install --no-cache-dir --no-deps . \
    && useradd --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin digilotse \
    && mkdir -p /app/data \
    && chown 10001:10001 /app/data

# A numeric user, so that runtimes enforcing non-root can verify it without /etc/passwd.
USER 10001
# SQLite (single-process default), check reports and other files the bot writes.
VOLUME ["/app/data"]

# Healthy when the database answers and its schema is at head.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["digilotse", "db", "check"]

CMD ["digilotse", "run"]
