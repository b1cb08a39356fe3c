#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing.
# Run as root (CI is); as another user it only reports what is missing.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# WeasyPrint (PDF cards and reports) needs Pango; Korean text needs a Hangul font.
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so' || missing+=(libpangoft2-1.0-0)
[ -d /usr/share/fonts/truetype/nanum ] || missing+=(fonts-nanum)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
# The web app's end-to-end tests drive Debian's Chromium with Playwright (never a download).
[ -x /usr/bin/chromium ] || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]} (run 'sudo apt-get install ${missing[*]}');" \
       "tests that need them fail under CI and are skipped elsewhere" >&2
  exit 0
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
