# Retention dashboard: one Streamlit server; datasets on the /data volume.
#   docker build -t retention . && docker run -p 8501:8501 -v retention-data:/data retention
FROM python:3.11-slim

# Settings that matter in production (see README, "Deploying"); override with `docker run -e NAME=value`.
# The upload limit is enforced twice (Streamlit's upload route and the app's own check): change both together.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RETENTION_DATA_DIR=/data \
    RETENTION_MAX_UPLOAD_MB=200 STREAMLIT_SERVER_MAX_UPLOAD_SIZE=200 \
    RETENTION_EXPIRY_DAYS=30

RUN useradd --create-home --uid 10001 app && mkdir /data && chown app:app /data
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
# The code stays owned by root, read-only for the app's user; the only place it writes is /data.
COPY . .
USER app
VOLUME /data
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4).read() != b'ok')"
ENTRYPOINT ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
