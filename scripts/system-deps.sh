#!/usr/bin/env bash
# Installs the Debian packages Vern needs outside Python, when they are missing.
#   scripts/system-deps.sh runtime   WeasyPrint's libraries (pango, harfbuzz) and a fallback font
#   scripts/system-deps.sh test      the above + Chromium (browser tests), poppler-utils
#                                    (pdftotext/pdftoppm) and gettext (catalogue checks)
# Needs root and apt-get (as on the project's machines). Elsewhere it only says what is
# missing: the PDF tests then fail and the browser tests are skipped (failed under CI=true).
set -euo pipefail
want="${1:-test}"

need=()
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "$want" = "test" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
  command -v xgettext >/dev/null 2>&1 || need+=(gettext)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
else
  echo "system-deps: missing Debian packages: ${need[*]} (install them with apt-get as root)" >&2
fi
