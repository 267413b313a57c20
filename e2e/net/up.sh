#!/usr/bin/env bash
# Bring up the test internet: five network namespaces, NAT routers, dnsmasq,
# a test CA, pebble (ACME) and per-browser NSS trust stores.
#
#   up.sh [state-dir]        (default $WIA_NET_DIR, else /tmp/wia-net)
#   env WIA_NET_PREFIX       namespace prefix (default "wia")
#   env WIA_DNS_TTL          TTL of every DNS answer (default 60)
#
# Fails if a namespace with the prefix already exists (run down.sh first).
# On any failure it removes what it built (the state dir stays, for its logs).
# Needs root. See README.md for the topology.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$HERE/lib.sh"
# shellcheck source-path=SCRIPTDIR source=cert.sh
. "$HERE/cert.sh"

STATE=$(net_dir "${1:-}")
PREFIX=${WIA_NET_PREFIX:-wia}
valid_prefix "$PREFIX"
set_ns_names "$PREFIX"

preflight () {
  [[ $(id -u) == 0 ]] || die "must run as root (ip netns)"
  local tool
  for tool in ip iptables dnsmasq pebble certutil openssl curl setsid timeout; do
    command -v "$tool" >/dev/null || die "missing tool: $tool"
  done
  local ns
  for ns in "${NS_ALL[@]}"; do
    ns_exists "$ns" && die "namespace $ns already exists: run e2e/net/down.sh first (or use another WIA_NET_PREFIX)"
    [[ -e /etc/netns/$ns ]] && die "/etc/netns/$ns already exists: run e2e/net/down.sh first"
  done
  return 0
}

# The state dir is ours only if empty or marked by a previous up.sh; then it is
# wiped, so no file from an old run (an old pebble root...) can be mistaken
# for a current one.
prepare_state () {
  if [[ -e $STATE ]]; then
    [[ -d $STATE ]] || die "$STATE exists and is not a directory"
    if [[ -n $(ls -A "$STATE") && ! -f $STATE/.wia-net-state ]]; then
      die "$STATE is not empty and was not made by up.sh; refusing to use it"
    fi
    find "$STATE" -mindepth 1 -delete
  fi
  mkdir -p "$STATE"
  : >"$STATE/.wia-net-state"
  # Recorded first, so down.sh finds the names even if we fail right after.
  echo "$PREFIX" >"$STATE/prefix"
}

on_exit () {
  local rc=$?
  ((rc == 0)) && return 0
  trap - EXIT
  log "up.sh failed (exit $rc); tearing down what it built. Logs stay in $STATE"
  set +e
  net_down
  exit "$rc"
}

# ------------------------------------------------------------ network --------

# link <nsA> <ifA> <addrA> <nsB> <ifB> <addrB> : a veth pair created directly
# inside the two namespaces (no end ever exists in the root namespace, so
# nothing can route out and no name can clash with the host's).
link () {
  ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
  ip -n "$1" addr add "$3" dev "$2"
  ip -n "$4" addr add "$6" dev "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}

make_network () {
  local ns
  for ns in "${NS_ALL[@]}"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done

  # The cloud: the internet's core and the service host at once. The service
  # addresses sit on lo (this kernel has no dummy driver). Deliberately no
  # default route: anything not in the test internet is unreachable.
  ip -n "$NS_CLOUD" addr add "$CLOUD_IP/32" dev lo
  ip -n "$NS_CLOUD" addr add "$CLOUD_IP2/32" dev lo
  in_ns "$NS_CLOUD" sysctl -qw net.ipv4.ip_forward=1

  # Router WAN links (/30, like an ISP's point-to-point link).
  link "$NS_CLOUD" to-home "$HOME_WAN_GW/30" "$NS_HOME_RT" wan0 "$HOME_WAN_IP/30"
  link "$NS_CLOUD" to-phone "$PHONE_WAN_GW/30" "$NS_PHONE_RT" wan0 "$PHONE_WAN_IP/30"
  # LANs behind them.
  link "$NS_HOME_RT" lan0 "$HOME_LAN_GW/24" "$NS_HOME" eth0 "$HOME_IP/24"
  link "$NS_PHONE_RT" lan0 "$PHONE_LAN_GW/24" "$NS_PHONE" eth0 "$PHONE_IP/24"

  # Home routers: forward and masquerade, like a consumer NAT box. The cloud
  # has no route to 192.168.x, so the NAT is the only way back in.
  for ns in "$NS_HOME_RT" "$NS_PHONE_RT"; do
    in_ns "$ns" sysctl -qw net.ipv4.ip_forward=1
    in_ns "$ns" iptables -t nat -A POSTROUTING -o wan0 -j MASQUERADE
  done
  ip -n "$NS_HOME_RT" route add default via "$HOME_WAN_GW"
  ip -n "$NS_PHONE_RT" route add default via "$PHONE_WAN_GW"
  ip -n "$NS_HOME" route add default via "$HOME_LAN_GW"
  ip -n "$NS_PHONE" route add default via "$PHONE_LAN_GW"

  # `ip netns exec` bind-mounts /etc/netns/<ns>/* over /etc/*, so every
  # resolver (glibc, Node, Chromium's own) in these namespaces uses dnsmasq.
  for ns in "$NS_CLOUD" "$NS_HOME" "$NS_PHONE" "$NS_HOME_RT" "$NS_PHONE_RT"; do
    mkdir -p "/etc/netns/$ns"
    printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$CLOUD_IP" >"/etc/netns/$ns/resolv.conf"
  done
}

# tcp_ok <ns> <ip> <port> : can <ns> open a TCP connection to ip:port?
tcp_ok () { in_ns "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null; }

check_network () {
  local ns
  for ns in "$NS_HOME" "$NS_PHONE"; do
    tcp_ok "$ns" "$CLOUD_IP" 53 || die "$ns cannot reach $CLOUD_IP:53"
    [[ $(in_ns "$ns" getent ahostsv4 "probe.$DOMAIN" | awk 'NR==1{print $1}') == "$CLOUD_IP" ]] ||
      die "$ns does not resolve probe.$DOMAIN to $CLOUD_IP"
  done
  # NAT is real: the cloud has no route into the private ranges, and the two
  # LANs cannot see each other.
  ! ip -n "$NS_CLOUD" route get "$HOME_IP" >/dev/null 2>&1 || die "the cloud has a route to $HOME_IP"
  ! ip -n "$NS_CLOUD" route get "$PHONE_IP" >/dev/null 2>&1 || die "the cloud has a route to $PHONE_IP"
  ! tcp_ok "$NS_HOME" "$PHONE_IP" 9 || die "home reaches the phone's private address"
  return 0
}

# --------------------------------------------------------------- TLS ---------

make_certs () {
  make_ca "$STATE"
  issue_leaf "$STATE" relay "${RELAY_SANS[@]}" >/dev/null
  # pebble's own HTTPS certificate (ACME directory and management API).
  issue_leaf "$STATE" pebble "acme.$DOMAIN" "$CLOUD_IP" localhost 127.0.0.1 >/dev/null
}

# ------------------------------------------------------------- pebble --------

# Pebble validates HTTP-01 on port 80 and TLS-ALPN-01 on 443 of whatever the
# name resolves to through our dnsmasq (-dnsserver), i.e. the relay in the
# cloud or an address a test published with dns.sh; DNS-01 TXT records go
# through dns.sh too. Issued certificates last 90 days like Let's Encrypt's
# (pebble's default is 5 years).
start_pebble () {
  cat >"$STATE/pebble-config.json" <<EOF
{
  "pebble": {
    "listenAddress": "$CLOUD_IP:$PEBBLE_PORT",
    "managementListenAddress": "$CLOUD_IP:$PEBBLE_MGMT_PORT",
    "certificate": "$STATE/pebble.pem",
    "privateKey": "$STATE/pebble-key.pem",
    "httpPort": 80,
    "tlsPort": 443,
    "ocspResponderURL": "",
    "certificateValidityPeriod": 7776000,
    "externalAccountBindingRequired": false
  }
}
EOF
  # Env read by Debian's pebble 2.4.0 (checked with `strings`): no validation
  # sleeps, never reject a good nonce, always reuse valid authorizations.
  start_daemon "$NS_CLOUD" "$STATE/pebble.log" "$STATE/pebble.pid" \
    env PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=100 \
    pebble -config "$STATE/pebble-config.json" -dnsserver "$CLOUD_IP:53" -strict=false

  # Pebble makes a fresh root and intermediate on every start: fetch them now,
  # before any browser trust store is built.
  local i mgmt="https://$CLOUD_IP:$PEBBLE_MGMT_PORT"
  for ((i = 0; i < 100; i++)); do
    pid_alive "$STATE/pebble.pid" || die "pebble exited, see $STATE/pebble.log"
    if in_ns "$NS_CLOUD" curl -sf --max-time 2 --cacert "$STATE/ca.pem" -o "$STATE/pebble-root.pem" "$mgmt/roots/0"; then
      break
    fi
    sleep 0.1
  done
  [[ -s $STATE/pebble-root.pem ]] || die "pebble management API did not answer, see $STATE/pebble.log"
  in_ns "$NS_CLOUD" curl -sf --max-time 2 --cacert "$STATE/ca.pem" -o "$STATE/pebble-intermediate.pem" "$mgmt/intermediates/0" ||
    die "could not fetch pebble's intermediate"
  openssl x509 -in "$STATE/pebble-root.pem" -noout >/dev/null || die "pebble root is not a certificate"
  # The ACME directory, by name, trusting only our CA (checks DNS + cert).
  in_ns "$NS_CLOUD" curl -sf --max-time 3 --cacert "$STATE/ca.pem" "https://acme.$DOMAIN:$PEBBLE_PORT/dir" >/dev/null ||
    die "pebble's directory https://acme.$DOMAIN:$PEBBLE_PORT/dir does not answer"
}

# ---------------------------------------------------- browser trust stores ---

# One HOME per browser-side namespace; Chromium on Linux reads user-added
# trust from $HOME/.pki/nssdb, so no certificate flags are needed.
make_browser_homes () {
  local name db
  for name in home phone cloud; do
    db=$STATE/browser-home/$name/.pki/nssdb
    mkdir -p "$db"
    certutil -d "sql:$db" -N --empty-password
    certutil -d "sql:$db" -A -n "wia-home test CA" -t "C,," -i "$STATE/ca.pem"
    certutil -d "sql:$db" -A -n "pebble root" -t "C,," -i "$STATE/pebble-root.pem"
    # Deliberately NOT pebble's intermediate: Chromium uses intermediates
    # found in the NSS DB to build chains, which would hide a server that
    # sends only its leaf (checked: leaf-only fails with
    # ERR_CERT_AUTHORITY_INVALID without it, passes with it). A server must
    # send leaf + intermediate, as ACME's fullchain gives it.
  done
}

write_env () {
  cat >"$STATE/env" <<EOF
# Generated by e2e/net/up.sh: KEY=value, no quoting (sh: '. env'; Node: process.loadEnvFile()).
WIA_NET_DIR=$STATE
WIA_NET_PREFIX=$PREFIX
WIA_NS_CLOUD=$NS_CLOUD
WIA_NS_HOME_RT=$NS_HOME_RT
WIA_NS_HOME=$NS_HOME
WIA_NS_PHONE_RT=$NS_PHONE_RT
WIA_NS_PHONE=$NS_PHONE
WIA_CLOUD_IP=$CLOUD_IP
WIA_CLOUD_IP2=$CLOUD_IP2
WIA_DNS_SERVER=$CLOUD_IP
WIA_DNS_TTL=$DNS_TTL
WIA_HOME_IP=$HOME_IP
WIA_HOME_PUBLIC_IP=$HOME_WAN_IP
WIA_PHONE_IP=$PHONE_IP
WIA_PHONE_PUBLIC_IP=$PHONE_WAN_IP
WIA_DOMAIN=$DOMAIN
WIA_CA_CERT=$STATE/ca.pem
WIA_CA_KEY=$STATE/ca-key.pem
WIA_RELAY_CERT=$STATE/relay.pem
WIA_RELAY_KEY=$STATE/relay-key.pem
WIA_ACME_DIRECTORY=https://acme.$DOMAIN:$PEBBLE_PORT/dir
WIA_PEBBLE_MGMT=https://$CLOUD_IP:$PEBBLE_MGMT_PORT
WIA_PEBBLE_ROOT=$STATE/pebble-root.pem
WIA_PEBBLE_INTERMEDIATE=$STATE/pebble-intermediate.pem
WIA_BROWSER_HOME_HOME=$STATE/browser-home/home
WIA_BROWSER_HOME_PHONE=$STATE/browser-home/phone
WIA_BROWSER_HOME_CLOUD=$STATE/browser-home/cloud
WIA_CHROMIUM=$HERE/chromium.sh
EOF
}

main () {
  preflight
  prepare_state
  trap on_exit EXIT
  # Turn signals into a plain exit so the EXIT trap cleans up after Ctrl-C too.
  trap 'exit 130' INT TERM HUP
  log "state dir $STATE, namespaces $PREFIX-*"
  make_network
  make_certs
  write_dnsmasq_conf "$STATE"
  dns_start "$STATE"
  check_network
  start_pebble
  make_browser_homes
  write_env
  log "up: dnsmasq pid $(<"$STATE/dnsmasq.pid"), pebble pid $(<"$STATE/pebble.pid"); env in $STATE/env"
}

main
