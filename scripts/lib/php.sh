# Sourced by scripts/test: installs php-cli and php-soap if they are
# missing, for the rpc/encoded interop test against PHP's SoapServer
# (generator/internal/roundtrip/rpcenc_php_test.go; it skips without them).

# install_php: idempotent; quiet unless it installs something.
install_php() {
	if command -v php >/dev/null 2>&1 && php -r 'exit(class_exists("SoapServer") ? 0 : 1);' >/dev/null 2>&1; then
		return 0
	fi
	echo "$(basename "$0"): installing php-cli and php-soap" >&2
	need_root apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq php-cli php-soap >/dev/null
}
