# Multi-stage build: dependencies are built in a throw-away stage, the runtime image holds only
# the virtual environment, the code and the default data, and runs as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# The default data (boundaries, gazetteer, population in data/default/, and the deterministic
# demo streams generated from them) is part of the copied tree; check it builds an app.
RUN MALI_DASHBOARD_DB_PATH=/tmp/build-check.sqlite3 python -c "from app import create_app; create_app()"

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 dashboard
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=dashboard:dashboard /src /app
# The store and uploads folders exist and belong to the app's user, so volumes mounted on them
# (compose.yaml) are writable by it.
RUN mkdir -p /app/var/store /app/var/uploads && chown -R dashboard:dashboard /app/var
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MALI_DASHBOARD_STORE=/app/var/store
USER dashboard
EXPOSE 8050
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4)" || exit 1
CMD ["gunicorn", "--bind", "0.0.0.0:8050", "--workers", "2", "--threads", "4", "--preload", "app:server"]
