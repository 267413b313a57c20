#!/usr/bin/env bash
# A shell (or one command) inside a test-internet namespace, for developers.
#
#   shell.sh <state> <home|phone|cloud|home-rt|phone-rt> [command args...]
#
# HOME is the side's browser home (its NSS DB trusts the test CAs), so
# `chromium`, `certutil -d sql:$HOME/.pki/nssdb -L` and friends behave as in the
# tests; WIA_NETNS / WIA_BROWSER_HOME are set for chromium.sh and the env file's
# variables are exported. The prompt shows the namespace.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"

(($# >= 2)) || die "usage: shell.sh <state> <home|phone|cloud|home-rt|phone-rt> [command...]"
STATE=$(net_dir "$1")
side=$2; shift 2
PREFIX=$(net_prefix "$STATE")
case $side in
  home|phone|cloud|home-rt|phone-rt) ns=$PREFIX-$side ;;
  *) die "unknown side '$side' (home, phone, cloud, home-rt, phone-rt)" ;;
esac
ns_exists "$ns" || die "namespace $ns does not exist (run up.sh)"

home=$STATE/browser-home/${side%-rt}
[[ $side == *-rt ]] && home=$HOME
# shellcheck source=/dev/null
if [[ -f $STATE/env ]]; then set -a; . "$STATE/env"; set +a; fi
export WIA_NETNS=$ns WIA_BROWSER_HOME=$home
# Debian's /etc/bash.bashrc puts $debian_chroot in the prompt.
export debian_chroot=$ns

if (($# == 0)); then set -- bash -i; fi
exec ip netns exec "$ns" env HOME="$home" "$@"
