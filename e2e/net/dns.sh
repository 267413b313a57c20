#!/usr/bin/env bash
# Replace the test internet's extra DNS records and restart dnsmasq.
#
#   dns.sh <state> [--append] [line...]
#
# Each argument is one dnsmasq config line; with no line arguments the lines
# are read from stdin. They replace <state>/dns-extra.conf (or are appended to
# it with --append); dnsmasq is restarted because it reads address= and
# txt-record= only at start. Examples:
#
#   dns.sh /tmp/wia-net 'address=/www.alice.test/203.0.113.10' \
#     'txt-record=_wia.www.alice.test,"wia=alice.wia.home"'
#   printf '%s\n' 'address=/shop.test/203.0.113.11' | dns.sh /tmp/wia-net
#   dns.sh /tmp/wia-net </dev/null          # back to the default zone only
#
# Each `address=/<domains>/<IPv4>` line gets a matching `local=/<domains>/`
# added, so other types (AAAA, TXT) for those names answer NODATA instead of
# NXDOMAIN.
#
# Every answer carries the TTL local-ttl ($WIA_DNS_TTL at up.sh time, default
# 60 s): clients (Chromium's host cache included) may keep an old answer that
# long. Returns once the new dnsmasq listens.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"

(($# >= 1)) || die "usage: dns.sh <state> [--append] [dnsmasq-line...]"
STATE=$(net_dir "$1"); shift
append=0
if [[ ${1:-} == --append ]]; then append=1; shift; fi
[[ -f $STATE/dnsmasq.conf ]] || die "no network in $STATE (run up.sh first)"
set_ns_names "$(net_prefix "$STATE")"
ns_exists "$NS_CLOUD" || die "namespace $NS_CLOUD does not exist"

# One change at a time: two tests restarting dnsmasq at once would race.
exec 9>"$STATE/dns.lock"
flock 9

extra=$STATE/dns-extra.conf
new=$(mktemp "$STATE/.dns-extra-XXXXXX")
if ((append)); then cat "$extra" >"$new"; fi
if (($# > 0)); then printf '%s\n' "$@" >>"$new"; else cat >>"$new"; fi
# For each `address=/<domains>/<IPv4>` also `local=/<domains>/` (unless
# given): then AAAA/TXT queries for those names get NODATA, like a real zone,
# instead of the NXDOMAIN of the catch-all `local=/#/` (an NXDOMAIN says the
# name does not exist at all, for every type).
sed -nE 's|^address=(/.+/)[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+[[:space:]]*$|local=\1|p' "$new" |
  sort -u | while read -r line; do grep -qxF -- "$line" "$new" || echo "$line"; done >"$new.local"
cat "$new.local" >>"$new"
chmod 644 "$new"
rm -f "$new.local"

# Check the new records before dropping the running server.
cp "$extra" "$extra.old"
mv "$new" "$extra"
if ! err=$(dnsmasq --test -C "$STATE/dnsmasq.conf" 2>&1); then
  mv "$extra.old" "$extra"
  die "dnsmasq rejects the new records (kept the old ones): $err"
fi
rm -f "$extra.old"

stop_pid "$STATE/dnsmasq.pid"
dns_start "$STATE"
