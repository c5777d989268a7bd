#!/usr/bin/env bash
# Dispatch — 鹤壁市域社会治理 指挥调度平台
#
#   ./run.sh                  install what is missing, build, and serve on http://127.0.0.1:5080
#   ./run.sh --no-simulate    the same, without the simulated city
#   ./run.sh <command> [...]  run a command-line verb instead (./run.sh help lists them)
#   ./run.sh --setup-only     install and build, then exit (test.sh uses this)
#
# Runs as root on a fresh Debian machine: PostgreSQL 15 + PostGIS 3 come from Debian, the web
# front end from npm, and the server starts its own PostGIS cluster (data kept between runs).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
ROOT=$PWD

say() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m错误 / error:\033[0m %s\n' "$*" >&2; exit 1; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} — run as root, or install them first"
  say "Installing ${missing[*]} (apt)"
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is needed (dotnet not found)"
  command -v npm >/dev/null || die "Node.js 20+ and npm are needed (npm not found)"
  # Chromium and the CJK fonts print the 研判简报 to PDF; test.sh adds its test tools here.
  # shellcheck disable=SC2086
  apt_install postgresql-15 postgresql-15-postgis-3 chromium fonts-noto-cjk ${DISPATCH_EXTRA_PACKAGES:-}

  # Vite builds the screens into the server's wwwroot; rebuild only when the web sources changed.
  if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
    say "Installing web packages (npm ci)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
  local index=src/Dispatch.Server/wwwroot/index.html
  if [ ! -f "$index" ] || [ -n "$(find web/src web/public web/index.html web/vite.config.ts web/package.json -newer "$index" 2>/dev/null | head -1)" ]; then
    say "Building the web front end"
    (cd web && npm run --silent build >/dev/null)
  fi

  say "Building the server"
  dotnet build src/Dispatch.Server -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null \
    || { dotnet build src/Dispatch.Server -c Release -nologo -v quiet -clp:ErrorsOnly; die "the server did not build"; }
}

setup
[ "${1:-}" = "--setup-only" ] && exit 0

export ASPNETCORE_ENVIRONMENT=${ASPNETCORE_ENVIRONMENT:-Production}
# Demo mode: staff, the demo accounts (password: Demo__Password, default Dispatch#2026), and the
# simulated city driving the API (./run.sh --no-simulate turns it off).
export Demo__Enabled=${Demo__Enabled:-true}
export Simulation__Enabled=${Simulation__Enabled:-true}
# A first start gives the city nine weeks of past (≈ 86,000 reports, about a minute), then the live
# city runs in real time at a real city's rate, so that alerts, on-time rates, overdue cases and
# baselines look like a real day. --fast runs it at 240× (four simulated hours a real minute) to see
# every step of the loop within minutes — at the price of a live rate the detectors read as a surge.
export Demo__HistoryDays=${Demo__HistoryDays:-63}
export Simulation__Speed=${Simulation__Speed:-1}
export Simulation__Rate=${Simulation__Rate:-1370}
args=()
for arg in "$@"; do
  case "$arg" in
    --no-simulate) export Simulation__Enabled=false ;;
    --no-history) export Demo__HistoryDays=0 ;;
    --fast) export Simulation__Speed=240 ;;
    *) args+=("$arg") ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"
# The content root is the project folder: that is where wwwroot (the built screens) lives.
cd "$ROOT/src/Dispatch.Server"
exec dotnet bin/Release/net10.0/Dispatch.Server.dll "$@"
