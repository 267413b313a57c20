# shellcheck shell=bash
# Shared definitions for the test-internet scripts in e2e/net/.
# Sourced, never run: it only defines names, addresses and small helpers.
#
# Every name the scripts create outside the state dir is derived from the
# prefix (WIA_NET_PREFIX, default "wia"): the namespaces <p>-cloud,
# <p>-home-rt, <p>-home, <p>-phone-rt, <p>-phone and their /etc/netns/<ns>
# dirs. Veths are created directly inside the namespaces (never in the root
# namespace), so deleting the namespaces deletes them and two prefixes can run
# side by side with the same addresses.

# The constants are used by the scripts that source this file.
# shellcheck disable=SC2034
NET_DIR_DEFAULT=/tmp/wia-net

# Public side: documentation ranges only (RFC 5737).
CLOUD_IP=203.0.113.10       # the service address: DNS, relay, pebble
CLOUD_IP2=203.0.113.11      # spare service address (a second relay, ...)
HOME_WAN_GW=198.51.100.1    # cloud end of the home router's /30
HOME_WAN_IP=198.51.100.2    # home router WAN = the home's public address
PHONE_WAN_GW=198.51.100.5
PHONE_WAN_IP=198.51.100.6
# Private side: only ever behind a NAT.
HOME_LAN_GW=192.168.1.1
HOME_IP=192.168.1.2
PHONE_LAN_GW=192.168.2.1
PHONE_IP=192.168.2.2

DOMAIN=example.test
DNS_TTL=${WIA_DNS_TTL:-60}
PEBBLE_PORT=14000
PEBBLE_MGMT_PORT=15000

# The relay certificate's SANs: the bare domain plus one wildcard per TLD
# (a wildcard covers one label: <label>.wia.<tld>.<domain>).
RELAY_SANS=("$DOMAIN" "*.wia.home.$DOMAIN" "*.wia.shop.$DOMAIN" "*.wia.blog.$DOMAIN" "*.wia.page.$DOMAIN")

die () { echo "e2e/net: $*" >&2; exit 1; }
log () { echo "e2e/net: $*" >&2; }

# net_dir [arg] -> the state dir: $1, else $WIA_NET_DIR, else the default.
# Absolute, because it is written into configs read from other cwds.
net_dir () {
  local d=${1:-${WIA_NET_DIR:-$NET_DIR_DEFAULT}}
  case $d in /*) ;; *) d=$PWD/$d ;; esac
  # The env file is KEY=value with no quoting; keep paths plain.
  [[ $d =~ ^[A-Za-z0-9_./+-]+$ ]] || die "state dir must be a plain path (no spaces or quotes): $d"
  printf '%s\n' "${d%/}"
}

# valid_prefix <p> : dies unless <p> makes sane namespace names.
valid_prefix () {
  # Lowercase word, short enough that <p>-phone-rt stays readable in `ip netns`.
  [[ $1 =~ ^[a-z0-9][a-z0-9-]{0,15}$ ]] || die "bad WIA_NET_PREFIX: '$1' (lowercase letters, digits, '-', at most 16)"
}

# net_prefix <state> -> the prefix recorded there by up.sh, else env, else "wia".
net_prefix () {
  local p
  if [[ -f $1/prefix ]]; then p=$(<"$1/prefix"); else p=${WIA_NET_PREFIX:-wia}; fi
  valid_prefix "$p"
  printf '%s\n' "$p"
}

# Sets NS_CLOUD NS_HOME_RT NS_HOME NS_PHONE_RT NS_PHONE and NS_ALL from a prefix.
set_ns_names () {
  NS_CLOUD=$1-cloud
  NS_HOME_RT=$1-home-rt
  NS_HOME=$1-home
  NS_PHONE_RT=$1-phone-rt
  NS_PHONE=$1-phone
  # Order matters for teardown only cosmetically; clients first.
  NS_ALL=("$NS_HOME" "$NS_PHONE" "$NS_HOME_RT" "$NS_PHONE_RT" "$NS_CLOUD")
}

ns_exists () { ip netns list | awk '{print $1}' | grep -qxF -- "$1"; }

# in_ns <ns> cmd... : run a command inside a namespace.
in_ns () { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# start_daemon <ns> <logfile> <pidfile> cmd... : start a long-running process
# inside <ns>, detached from the caller: own session (so the caller's Ctrl-C or
# process group kill does not reach it, down.sh does), stdin from /dev/null and
# output to a log file (so a caller reading our stdout, e.g. Node's execFile,
# does not wait for the daemon to close it). `setsid` does not fork when it is
# not a group leader (true for a background job of a script) and
# `ip netns exec` execs, so $! is the daemon's own pid.
start_daemon () {
  local ns=$1 logf=$2 pidf=$3; shift 3
  setsid ip netns exec "$ns" "$@" </dev/null >>"$logf" 2>&1 9>&- &
  echo $! >"$pidf"
}

# running <pid> : true if the process exists and is not a zombie (PID 1 in
# these containers is not always a prompt reaper of orphans).
running () {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}

# pid_alive <pidfile> : true if the pid in the file is still running.
pid_alive () { [[ -f $1 ]] && running "$(<"$1")"; }

# stop_pids <pid...> : TERM, wait up to ~3 s, then KILL and wait up to ~2 s.
stop_pids () {
  local pid i left
  (($# > 0)) || return 0
  kill -TERM "$@" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    left=()
    for pid in "$@"; do running "$pid" && left+=("$pid"); done
    ((${#left[@]} > 0)) || return 0
    if ((i == 30)); then kill -KILL "${left[@]}" 2>/dev/null || true; fi
    sleep 0.1
  done
  log "warning: still running after SIGKILL: ${left[*]}"
}

# stop_pid <pidfile> : stop the process named in a pid file, remove the file.
stop_pid () {
  [[ -f $1 ]] || return 0
  stop_pids "$(<"$1")"
  rm -f "$1"
}

# ---------------------------------------------------------------- DNS --------
# dnsmasq runs in the cloud namespace, bound to the service address only.
# Its main config is written once by up.sh; the extra records live in
# <state>/dns-extra.conf, replaced by dns.sh. dnsmasq re-reads its config only
# on start (SIGHUP reloads hosts files, not address=/txt-record=), so changing
# records means restarting it.

# write_dnsmasq_conf <state>
write_dnsmasq_conf () {
  local state=$1
  cat >"$state/dnsmasq.conf" <<EOF
# Generated by e2e/net/up.sh. The only DNS server of the test internet.
keep-in-foreground
# Only the service address, and only it: never the machine's real resolver.
bind-interfaces
listen-address=$CLOUD_IP
port=53
no-resolv
no-hosts
no-poll
# No upstream: every name not defined here is answered NXDOMAIN by us
# (like a real authoritative miss) instead of REFUSED.
local=/#/
# TTL on every locally defined answer (address=, txt-record=, ...), so clients
# cache like they would on the internet; dns.sh changes show up within it.
local-ttl=$DNS_TTL
log-queries
log-facility=-
# The default zone: the relay's domain and every name under it. The local=
# line makes other types (AAAA, TXT) NODATA instead of NXDOMAIN, which would
# tell a resolver the name does not exist at all.
address=/$DOMAIN/$CLOUD_IP
local=/$DOMAIN/
# Records added by tests (dns.sh).
conf-file=$state/dns-extra.conf
EOF
  [[ -f $state/dns-extra.conf ]] || : >"$state/dns-extra.conf"
}

# dns_start <state> : start dnsmasq in the cloud and wait until it listens.
dns_start () {
  local state=$1 i
  in_ns "$NS_CLOUD" dnsmasq --test -C "$state/dnsmasq.conf" >/dev/null 2>&1 ||
    die "dnsmasq rejects its config: $(in_ns "$NS_CLOUD" dnsmasq --test -C "$state/dnsmasq.conf" 2>&1)"
  start_daemon "$NS_CLOUD" "$state/dnsmasq.log" "$state/dnsmasq.pid" dnsmasq -C "$state/dnsmasq.conf"
  # dnsmasq also serves TCP: a connect succeeds once it has bound its sockets.
  for ((i = 0; i < 50; i++)); do
    pid_alive "$state/dnsmasq.pid" || die "dnsmasq exited, see $state/dnsmasq.log"
    in_ns "$NS_CLOUD" timeout 1 bash -c "exec 3<>/dev/tcp/$CLOUD_IP/53" 2>/dev/null && return 0
    sleep 0.1
  done
  die "dnsmasq did not start listening on $CLOUD_IP:53, see $state/dnsmasq.log"
}

# ----------------------------------------------------------- teardown --------
# net_down : undo everything outside the state dir for the current NS_* names.
# Works on a half-built network (every step checks before acting) and twice.
net_down () {
  local ns pids pid mine
  for ns in "${NS_ALL[@]}"; do
    ns_exists "$ns" || continue
    # Every process in the namespace: our daemons, test servers, browsers
    # started by chromium.sh, shells. Not ourselves (down.sh run from shell.sh).
    pids=()
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      mine=0
      [[ $pid == "$$" || $pid == "$BASHPID" || $pid == "$PPID" ]] && mine=1
      ((mine)) || pids+=("$pid")
    done
    stop_pids "${pids[@]}"
  done
  for ns in "${NS_ALL[@]}"; do
    # Deleting a namespace deletes the veth ends in it, and so their peers.
    if ns_exists "$ns"; then ip netns del "$ns" || log "warning: could not delete namespace $ns"; fi
    rm -rf "/etc/netns/${ns:?}"
  done
  # /etc/netns did not exist on these machines before us; leave it as found.
  rmdir /etc/netns 2>/dev/null || true
}
