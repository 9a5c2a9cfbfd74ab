#!/usr/bin/env bash
# Copy the pinned front-end files (htmx, Swagger UI, ReDoc) out of node_modules into DEST (default
# static/vendor). One list for `make install` and the Dockerfile's asset stage; run after `npm ci`.
set -euo pipefail
dest="${1:-static/vendor}"
mkdir -p "$dest"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/redoc/bundles/redoc.standalone.js "$dest/"
cp node_modules/swagger-ui-dist/favicon-32x32.png "$dest/swagger-favicon-32x32.png"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
