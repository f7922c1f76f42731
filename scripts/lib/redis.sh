# Sourced by scripts/test, scripts/bench and scripts/perftable: installs
# redis-server if it is missing (when install=1), starts a throwaway one on a
# free loopback port without persistence, exports WSDLSESS_REDIS_ADDR and
# WSDLSESS_REDIS_SERVER, and stops it when the calling script exits.

need_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# start_redis INSTALL: INSTALL=1 installs redis-server with apt-get if it is
# missing; otherwise a missing redis-server returns 1 with a note.
start_redis() {
	if ! command -v redis-server >/dev/null 2>&1; then
		if [ "${1:-0}" != 1 ]; then
			echo "$(basename "$0"): redis-server not installed; Redis rows are skipped (./scripts/test installs it)" >&2
			return 1
		fi
		echo "$(basename "$0"): installing redis-server" >&2
		need_root apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq redis-server >/dev/null
	fi
	redis_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 16379)
	redis_dir=$(mktemp -d)
	redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$redis_dir" --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log"
	trap stop_redis EXIT
	for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
	if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
		echo "$(basename "$0"): redis-server did not start on 127.0.0.1:$redis_port; its log:" >&2
		cat "$redis_dir/redis.log" >&2 || true
		exit 1
	fi
	export WSDLSESS_REDIS_ADDR="127.0.0.1:$redis_port"
	# The fleet tests restart Redis; they need to know how it was started.
	export WSDLSESS_REDIS_SERVER="$(command -v redis-server)"
}

# stop_redis never changes the exit status of the script: it runs from the
# EXIT trap, where a failing command would turn a passing run into a failed
# one. It waits for redis-server to exit, which writes its log while it
# shuts down (rm -rf raced with it: "Directory not empty").
stop_redis() {
	local pid
	if [ -f "$redis_dir/redis.pid" ]; then
		pid=$(cat "$redis_dir/redis.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$redis_dir" 2>/dev/null || true
}
