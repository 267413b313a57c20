#!/usr/bin/env bash
# Test CA and leaf certificates for the test internet (openssl, EC P-256).
#
#   cert.sh <state> <out-prefix> <san...>
#
# issues a leaf from <state>/ca.pem + <state>/ca-key.pem and writes
# <out-prefix>.pem and <out-prefix>-key.pem. A prefix without a '/' is taken
# relative to <state> (e.g. `cert.sh /tmp/wia-net relay2 example.test
# '*.wia.home.example.test'` writes /tmp/wia-net/relay2.pem). A SAN that looks
# like an IPv4 address becomes an IP SAN, anything else a DNS SAN. Prints the
# certificate path.
#
# up.sh sources this file for make_ca / issue_leaf; run directly it issues a leaf.
set -euo pipefail

CERT_SH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$CERT_SH_DIR/lib.sh"

CA_DAYS=7     # a few days: long enough for any test run, short enough to be obviously a test CA
LEAF_DAYS=5   # within the CA's validity

# make_ca <state> : writes <state>/ca.pem and <state>/ca-key.pem.
make_ca () {
  local state=$1 cnf
  cnf=$(mktemp "$state/.ca-XXXXXX.cnf")
  # Our own config instead of openssl.cnf's v3_ca defaults, so the extensions
  # are exactly these (and -addext cannot clash with defaults).
  cat >"$cnf" <<'EOF'
[req]
distinguished_name = dn
x509_extensions = v3_ca
prompt = no
[dn]
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  # A unique CN per run, so NSS never confuses two generations of the CA.
  openssl req -x509 -new -config "$cnf" \
    -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$state/ca-key.pem" -out "$state/ca.pem" -days "$CA_DAYS" \
    -subj "/O=wia-home tests/CN=wia-home test CA $(date -u +%Y%m%dT%H%M%S)-$RANDOM" 2>/dev/null
  chmod 600 "$state/ca-key.pem"
  rm -f "$cnf"
}

# issue_leaf <state> <out-prefix> <san...> : a serverAuth leaf signed by the CA.
issue_leaf () {
  local state=$1 out=$2; shift 2
  (($# > 0)) || die "issue_leaf: at least one SAN needed"
  [[ -f $state/ca.pem && -f $state/ca-key.pem ]] || die "no CA in $state (run up.sh first)"
  [[ $out == */* ]] || out=$state/$out
  local san sans=() cn cnf
  for san in "$@"; do
    if [[ $san =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then sans+=("IP:$san"); else sans+=("DNS:$san"); fi
  done
  # Chromium ignores the CN and needs the SANs; the CN is for humans (max 64 chars).
  cn=${1:0:64}
  cnf=$(mktemp "$state/.leaf-XXXXXX.cnf")
  {
    echo "basicConstraints = critical, CA:FALSE"
    echo "keyUsage = critical, digitalSignature"
    echo "extendedKeyUsage = serverAuth"
    echo "subjectKeyIdentifier = hash"
    echo "authorityKeyIdentifier = keyid"
    echo "subjectAltName = $(IFS=,; echo "${sans[*]}")"
  } >"$cnf"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
      -keyout "$out-key.pem" -subj "/O=wia-home tests/CN=$cn" 2>/dev/null |
    openssl x509 -req -CA "$state/ca.pem" -CAkey "$state/ca-key.pem" \
      -set_serial "0x$(openssl rand -hex 16)" -days "$LEAF_DAYS" \
      -extfile "$cnf" -out "$out.pem" 2>/dev/null
  rm -f "$cnf"
  openssl verify -CAfile "$state/ca.pem" "$out.pem" >/dev/null || die "issued certificate $out.pem does not verify"
  printf '%s\n' "$out.pem"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  (($# >= 3)) || die "usage: cert.sh <state> <out-prefix> <san...>"
  state=$(net_dir "$1"); shift
  issue_leaf "$state" "$@"
fi
