#!/usr/bin/env bash
# make demo: tile the fixture scene, then start the labeling server on
# 127.0.0.1:8080 with a fresh demo database: a project whose customer is
# hidden behind a codename, the fixture scene ingested, an annotator and a
# reviewer. Prints their tokens and a curl that claims a task.
set -euo pipefail
cd "$(dirname "$0")/.."
SWATH=${SWATH:-.build/debug/swath}
DB=${DB:-demo.sqlite}
PORT=${PORT:-8080}

$SWATH tile Fixtures/utm_multiband.tif --size 128 --out tiles/utm_multiband
rm -f "$DB" "$DB-wal" "$DB-shm"
json() { /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
ADMIN=$($SWATH admin create-user --db "$DB" --name "demo admin" --admin | json token)
$SWATH admin create-project --db "$DB" --customer "Acme Defense Ltd" --codename BLUEJAY --tile-size 128 >/dev/null
ANNOTATOR_JSON=$($SWATH admin create-user --db "$DB" --name "ann (annotator)")
REVIEWER_JSON=$($SWATH admin create-user --db "$DB" --name "rey (reviewer)")
ANNOTATOR=$(echo "$ANNOTATOR_JSON" | json token)
REVIEWER=$(echo "$REVIEWER_JSON" | json token)
$SWATH admin add-member --db "$DB" --project 1 --user "$(echo "$ANNOTATOR_JSON" | json id)" --role annotator >/dev/null
$SWATH admin add-member --db "$DB" --project 1 --user "$(echo "$REVIEWER_JSON" | json id)" --role reviewer >/dev/null
$SWATH ingest --db "$DB" --project 1 Fixtures/utm_multiband.tif --band-roles blue=1,green=2,red=3,nir=4 >/dev/null

cat <<INFO

Swath demo: project 1 is "BLUEJAY" (its customer is visible to admins and managers only),
with the fixture scene cut into 4 tasks. Database: $DB
  admin token:     $ADMIN
  annotator token: $ANNOTATOR
  reviewer token:  $REVIEWER

The workbench: open http://127.0.0.1:$PORT/ in a browser and sign in with the annotator token
(annotate), or the reviewer's (review).

Claim a task as the annotator from the command line:
  curl -s -X POST -H "Authorization: Bearer $ANNOTATOR" http://127.0.0.1:$PORT/api/v1/projects/1/tasks/claim

The API is described at http://127.0.0.1:$PORT/openapi.yaml. Ctrl-C stops the server.

INFO
exec $SWATH serve --db "$DB" --host 127.0.0.1 --port "$PORT"
