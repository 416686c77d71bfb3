FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DIPLOBOT_DB=/data/diplobot.db \
    DIPLOBOT_SEEDS=/app/seeds

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . .
RUN pip install --no-deps . && useradd --create-home diplobot && mkdir -p /data && chown diplobot /data

USER diplobot
VOLUME ["/data"]
CMD ["diplobot", "run"]
