#!/usr/bin/env bash
# Chromium inside a test-internet namespace, for Playwright's executablePath.
#
#   env WIA_NETNS=wia-phone WIA_BROWSER_HOME=<state>/browser-home/phone chromium.sh [chromium args]
#
# HOME points Chromium at the NSS DB (<home>/.pki/nssdb) that trusts the test
# CA and pebble's root; `ip netns exec` gives it the namespace's network and
# /etc/netns/<ns>/resolv.conf (dnsmasq). Playwright drives Chromium over
# --remote-debugging-pipe (inherited fds 3 and 4), which `ip netns exec` and
# Debian's /usr/bin/chromium launcher both pass through, as they pass env and
# args. Needs root (ip netns exec).
#
# The real browser: $WIA_CHROMIUM_BIN, else $CHROMIUM_PATH (unless that is this
# wrapper itself, as when CHROMIUM_PATH is how Playwright was pointed here),
# else /usr/bin/chromium.
set -euo pipefail

: "${WIA_NETNS:?chromium.sh: set WIA_NETNS to the namespace (e.g. wia-phone)}"
: "${WIA_BROWSER_HOME:?chromium.sh: set WIA_BROWSER_HOME (e.g. <state>/browser-home/phone)}"
[[ -d $WIA_BROWSER_HOME/.pki/nssdb ]] || { echo "chromium.sh: no NSS DB in $WIA_BROWSER_HOME/.pki/nssdb" >&2; exit 1; }

self=$(readlink -f "${BASH_SOURCE[0]}")
bin=${WIA_CHROMIUM_BIN:-${CHROMIUM_PATH:-/usr/bin/chromium}}
if [[ $(readlink -f "$bin" 2>/dev/null) == "$self" ]]; then bin=/usr/bin/chromium; fi

exec ip netns exec "$WIA_NETNS" env HOME="$WIA_BROWSER_HOME" "$bin" "$@"
