# Digilotse bot image: the locked dependencies, then the package itself.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements/lock.txt requirements/lock.txt
RUN pip install --no-cache-dir -r requirements/lock.txt

COPY pyproject.toml README.md ./
COPY bot bot
COPY nlu nlu
COPY knowledge knowledge
COPY storage storage
RUN pip install --no-cache-dir --no-deps . && useradd --uid 1001 --create-home digilotse
USER digilotse

CMD ["digilotse", "run"]
