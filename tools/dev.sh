#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   tools/dev.sh run [shardd flags]   install what is missing, build, run shardd
#   tools/dev.sh test [--long]        install what is missing, build, run the
#                                     tests (--long: also those labelled
#                                     `long`, too heavy for CI)
# Installing is idempotent and silent when everything is already present.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=build/release

BUILD_PACKAGES=(g++ cmake make pkg-config libabsl-dev libjemalloc-dev
                libgflags-dev libgtest-dev liburing-dev libbenchmark-dev)
# The tests drive shardd with the real Redis tools and compare it with a real
# redis-server; tmux runs `shardctl top` in a terminal for its test; python3
# runs the benchmark runner's smoke test and, with python3-redis, a redis-py
# session; Node.js and npm (Debian's, unless a node is there) the npm
# clients' session.
TEST_PACKAGES=(redis-server redis-tools tmux python3 python3-redis curl strace)

install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null |
      grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# The Node.js clients node_clients_test drives, installed as a user would,
# into the test's folder from its package-lock.json (npm ci), again only when
# the lock file changed.
install_node_clients() {
  if ! command -v npm >/dev/null; then
    install_missing nodejs npm
  fi
  # The clients need Node.js 20 (Debian 12's own is 18): without it the
  # test says what is missing.
  if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "node_clients_test needs Node.js 20 or later; found $(node --version)"
    return 0
  fi
  local dir=tests/integration/node_clients
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j"$(nproc)"
}

case "${1:-}" in
  run)
    shift
    install_missing "${BUILD_PACKAGES[@]}"
    build
    exec "$BUILD_DIR/shard/shardd" "$@"
    ;;
  test)
    shift
    install_missing "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    install_node_clients
    build
    if [ "${1:-}" = "--long" ]; then
      ctest --test-dir "$BUILD_DIR" --output-on-failure
    else
      ctest --test-dir "$BUILD_DIR" --output-on-failure -LE long
    fi
    ;;
  *)
    echo "usage: $0 run [shardd flags] | test [--long]" >&2
    exit 2
    ;;
esac
