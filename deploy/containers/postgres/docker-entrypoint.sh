#!/usr/bin/env bash
# Entrypoint of the postgres:15 stand-in: the official image's contract, written for Debian's
# postgresql-15. On an empty PGDATA: initdb with POSTGRES_USER/POSTGRES_PASSWORD, a pg_hba line
# for host connections from anywhere, POSTGRES_DB, then /docker-entrypoint-initdb.d/* once.
# On an existing PGDATA nothing is initialized again. Then `exec postgres "$@"`.
set -Eeo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date '+%Y-%m-%d %H:%M:%S %Z')" "$*"; }
die() { log "error: $*" >&2; exit 1; }

# VAR or VAR_FILE (a Docker/Kubernetes secret), never both.
file_env() {
	local var="$1" file_var="${1}_FILE" default="${2:-}"
	if [ "${!var:-}" ] && [ "${!file_var:-}" ]; then
		die "both $var and $file_var are set (but are exclusive)"
	fi
	local val="$default"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!file_var:-}" ]; then
		val="$(< "${!file_var}")"
	fi
	export "$var"="$val"
	unset "$file_var"
}

want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?'|--help|--describe-config|-V|--version) return 0 ;;
		esac
	done
	return 1
}

setup_env() {
	file_env POSTGRES_PASSWORD
	file_env POSTGRES_USER postgres
	file_env POSTGRES_DB "$POSTGRES_USER"
	file_env POSTGRES_INITDB_ARGS
	: "${POSTGRES_HOST_AUTH_METHOD:=}"
	export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
	DATABASE_ALREADY_EXISTS=
	if [ -s "$PGDATA/PG_VERSION" ]; then
		DATABASE_ALREADY_EXISTS=true
	fi
}

create_directories() {
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	mkdir -p /var/run/postgresql || :
	chmod 03775 /var/run/postgresql || :
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		mkdir -p "$POSTGRES_INITDB_WALDIR"
		chmod 700 "$POSTGRES_INITDB_WALDIR" || :
	fi
	if [ "$(id -u)" = 0 ]; then
		find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
		find /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
		if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
			find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres:postgres '{}' +
		fi
	fi
}

verify_minimum_env() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
		die "Database is uninitialized and superuser password is not specified.
  Set POSTGRES_PASSWORD to a non-empty value for the superuser (for example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\"),
  or set POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password (not recommended)."
	fi
	if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
		log "warning: POSTGRES_HOST_AUTH_METHOD=trust: every host may connect without a password"
	fi
}

init_database_dir() {
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
	fi
	# The password goes through a pipe, never a file or the command line.
	# shellcheck disable=SC2086  # POSTGRES_INITDB_ARGS is a list of words, as in the official image
	if [ -n "$POSTGRES_PASSWORD" ]; then
		initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS "$@"
	else
		initdb --username="$POSTGRES_USER" $POSTGRES_INITDB_ARGS "$@"
	fi
}

# A host line for every address; the method is POSTGRES_HOST_AUTH_METHOD, else the server's
# password_encryption (scram-sha-256). Local socket and loopback stay as initdb made them (trust).
setup_hba() {
	if [ "${1:-}" = postgres ]; then shift; fi
	: "${POSTGRES_HOST_AUTH_METHOD:=$(postgres -C password_encryption "$@")}"
	{
		printf '\n'
		if [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
			printf '# warning: trust is enabled for all connections\n'
		fi
		printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
	} >> "$PGDATA/pg_hba.conf"
}

# A server on the Unix socket only, for creating the database and running the init scripts.
temp_server_start() {
	if [ "${1:-}" = postgres ]; then shift; fi
	set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
	PGUSER="${PGUSER:-$POSTGRES_USER}" pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

temp_server_stop() {
	PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

psql_init() {
	PGHOST= PGHOSTADDR= psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc "$@"
}

setup_db() {
	local exists
	exists="$(POSTGRES_DB= psql_init --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'SQL'
		SELECT 1 FROM pg_database WHERE datname = :'db' ;
	SQL
	)"
	if [ -z "$exists" ]; then
		psql_init --dbname postgres --set db="$POSTGRES_DB" <<-'SQL'
			CREATE DATABASE :"db" ;
		SQL
		log "database $POSTGRES_DB created"
	fi
}

process_init_files() {
	local f
	for f; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					log "running $f"; "$f"
				else
					log "sourcing $f"; . "$f"
				fi ;;
			*.sql) log "running $f"; psql_init --dbname "$POSTGRES_DB" -f "$f" ;;
			*.sql.gz) log "running $f"; gunzip -c "$f" | psql_init --dbname "$POSTGRES_DB" ;;
			*.sql.xz) log "running $f"; xzcat "$f" | psql_init --dbname "$POSTGRES_DB" ;;
			*.sql.zst) log "running $f"; zstd -dc "$f" | psql_init --dbname "$POSTGRES_DB" ;;
			*) log "ignoring $f" ;;
		esac
	done
}

main() {
	# `docker run image -c max_connections=200` means `postgres -c max_connections=200`.
	if [ "${1:0:1}" = '-' ]; then
		set -- postgres "$@"
	fi

	if [ "$1" = postgres ] && ! want_help "$@"; then
		setup_env
		create_directories
		if [ "$(id -u)" = 0 ]; then
			# Started as root (e.g. `--user root`): drop to the postgres user, as the official image does.
			exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
		fi

		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			verify_minimum_env
			ls /docker-entrypoint-initdb.d/ > /dev/null  # fails early if the directory is unreadable
			init_database_dir
			setup_hba "$@"
			# Init scripts run against the temp server with the superuser's password.
			export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
			temp_server_start "$@"
			setup_db
			shopt -s nullglob
			process_init_files /docker-entrypoint-initdb.d/*
			shopt -u nullglob
			temp_server_stop
			unset PGPASSWORD
			log 'PostgreSQL init process complete; ready for start up.'
		else
			log 'PostgreSQL database directory appears to contain a database; skipping initialization'
		fi
	fi

	exec "$@"
}

main "$@"
