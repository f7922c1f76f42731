# Sourced by scripts/test, scripts/bench and scripts/perftable: installs and
# starts a throwaway redis-server for the Redis store's tests and benchmarks.
# One copy, so the scripts cannot drift apart on how Redis is started
# (loopback only, free port, no persistence, stopped on exit).

# redis_install installs redis-server with apt when it is missing.
redis_install() {
	command -v redis-server >/dev/null 2>&1 && return 0
	echo "scripts/$(basename "$0"): installing redis-server" >&2
	need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
	need_root apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq redis-server >/dev/null
}

# redis_start starts redis-server on a free loopback port, stops it on exit,
# and exports WSDLSESS_REDIS_ADDR and WSDLSESS_REDIS_SERVER (the fleet tests
# restart Redis and need to know how it was started). It exits the script
# with Redis's log when the server does not answer.
redis_start() {
	local port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 16379)
	redis_dir=$(mktemp -d)
	redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$redis_dir" --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
	trap redis_stop EXIT
	for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
	if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
		echo "scripts/$(basename "$0"): redis-server did not start on 127.0.0.1:$port; its log:" >&2
		cat "$redis_dir/redis.log" >&2 || true
		exit 1
	fi
	export WSDLSESS_REDIS_ADDR="127.0.0.1:$port"
	export WSDLSESS_REDIS_SERVER="$(command -v redis-server)"
}

redis_stop() {
	if [ -f "$redis_dir/redis.pid" ]; then kill "$(cat "$redis_dir/redis.pid")" 2>/dev/null || true; fi
	rm -rf "$redis_dir"
}
