#!/usr/bin/env bash
# Tear down the test internet made by up.sh.
#
#   down.sh [--keep-state] [state-dir]   (default $WIA_NET_DIR, else /tmp/wia-net)
#
# Kills every process inside the namespaces (daemons, test servers, browsers),
# deletes the namespaces (and with them every veth) and /etc/netns/<ns>, then
# removes the state dir unless --keep-state (or WIA_NET_KEEP=1) is given; the
# state dir is only removed if up.sh made it. Safe to run twice, and after a
# half-finished up.sh. The prefix comes from <state>/prefix, else
# $WIA_NET_PREFIX, else "wia".
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"

keep=${WIA_NET_KEEP:-0}
if [[ ${1:-} == --keep-state ]]; then keep=1; shift; fi
[[ $(id -u) == 0 ]] || die "must run as root (ip netns)"

STATE=$(net_dir "${1:-}")
PREFIX=$(net_prefix "$STATE")
set_ns_names "$PREFIX"

net_down
rm -f "$STATE"/*.pid 2>/dev/null || true
if [[ $keep != 1 && -f $STATE/.wia-net-state ]]; then
  rm -rf "${STATE:?}"
fi
log "down: namespaces $PREFIX-* removed"
