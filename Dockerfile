FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DIPLOBOT_DB=/data/diplobot.db \
    DIPLOBOT_BACKUP_DIR=/data/backups \
    DIPLOBOT_SEEDS=/app/seeds

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
# A user without a login or root rights owns /data (database, daily backups); the code stays root's.
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 diplobot \
    && mkdir -p /data/backups \
    && chown -R diplobot:diplobot /data

USER diplobot
VOLUME ["/data"]
# Database quick check (2 s at 100,000 articles), schema, getMe (2 s), the bot's last runs (docs/operating.md).
# The start period covers the first start on an empty volume (seed articles are ingested first).
HEALTHCHECK --interval=5m --timeout=30s --start-period=5m --retries=3 CMD ["diplobot", "health"]
CMD ["diplobot", "run"]
