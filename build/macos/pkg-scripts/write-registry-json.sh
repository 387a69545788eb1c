#!/bin/bash
# write-registry-json.sh ORGS FILE
# Writes Docker Desktop's registry.json ({"allowedOrgs": [...]}) to FILE from an install-time option
# ORGS ("mycompany;partner"; "," also separates). Shared by the macOS pkg postinstall and the Linux
# deb after-install script. Names are normalized like the agent does (trim, lowercase, drop
# duplicates) and must be registry namespace components; one bad name writes nothing and exits 1.
# The file and its directory are created admin-only: owner root, mode 0644 / 0755. An existing file
# is kept as FILE.bak; the new one replaces it by rename, so readers never see half a file.
set -euo pipefail

ORGS="${1:?usage: write-registry-json.sh ORGS FILE}"
FILE="${2:?usage: write-registry-json.sh ORGS FILE}"
ROOT_GROUP="$(id -gn root)"   # wheel on macOS, root on Linux

json=""
IFS=';,' read -r -a names <<< "$ORGS" || true
for raw in ${names[@]+"${names[@]}"}; do
  name="$(printf '%s' "$raw" | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' | tr '[:upper:]' '[:lower:]')"
  [ -z "$name" ] && continue
  if ! printf '%s' "$name" | LC_ALL=C grep -Eq '^[a-z0-9]+(([._]|__|-+)[a-z0-9]+)*$'; then
    echo "write-registry-json: \"$name\" is not a valid organization name (lowercase letters, digits, and . _ __ - between them); $FILE was not written" >&2
    exit 1
  fi
  case ",$json," in *",\"$name\","*) continue ;; esac
  json="${json:+$json, }\"$name\""
done
if [ -z "$json" ]; then
  echo "write-registry-json: no organization in \"$ORGS\"; $FILE was not written" >&2
  exit 1
fi

DIR="$(dirname "$FILE")"
install -d -o root -g "$ROOT_GROUP" -m 0755 "$DIR"
if [ -f "$FILE" ]; then cp -p "$FILE" "$FILE.bak"; fi
TMP="$DIR/.registry.json.$$.tmp"
printf '{\n  "allowedOrgs": [%s]\n}\n' "$json" > "$TMP"
chown "root:$ROOT_GROUP" "$TMP"
chmod 0644 "$TMP"
sync "$TMP" 2>/dev/null || sync
mv -f "$TMP" "$FILE"
echo "write-registry-json: wrote $FILE (allowedOrgs: $json)"
