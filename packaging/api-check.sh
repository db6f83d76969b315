#!/usr/bin/env bash
# The contract's happy path against a running service, as CI checks it (api_check in packaging/lib.sh): a new user
# signs up and logs in, creates a todo and reads it back; an `ok:` line a step, FAIL with the status and body else.
#
#   packaging/api-check.sh BASE_URL [curl options...]
#
# BASE_URL is the API's root: http://127.0.0.1:8080 on the app itself, https://DOMAIN/api through Caddy. The curl
# options go to every request, e.g. --cacert caddy-root.crt, --resolve DOMAIN:443:ADDRESS, -m 30. API_CHECK_USER
# (the new user's name prefix) and API_CHECK_TITLE, API_CHECK_DESCRIPTION, API_CHECK_STATE (its todo) are optional.
# Needs curl and jq. Each run leaves a user with one todo behind.
set -euo pipefail

# shellcheck source=packaging/lib.sh
source "$(dirname "$0")/lib.sh"
(($# >= 1)) || { echo "usage: $0 BASE_URL [curl options...]" >&2; exit 2; }
api_check "$@"
echo "api check passed: $1"
