#!/bin/sh
# Installs the servers the tests start (connectors/testsrv): PostgreSQL 15
# (with contrib, for postgres_fdw and file_fdw) and MariaDB. Idempotent:
# packages are installed with apt-get only when their binaries are missing.
# Needs root (or sudo) on a Debian/Ubuntu machine; elsewhere it only reports.
set -eu

need=""
[ -x /usr/lib/postgresql/15/bin/initdb ] || need="$need postgresql-15"
[ -f /usr/lib/postgresql/15/lib/postgres_fdw.so ] || need="$need postgresql-contrib"
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need="$need mariadb-server"

if [ -z "$need" ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "setup-test-deps: missing:$need (no apt-get here; install them yourself)" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	SUDO="sudo"
fi
echo "setup-test-deps: installing$need" >&2
# Tests start their own servers; the system services are not needed.
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $need
