# Sourced by scripts/test: installs libxml2-utils if xmllint is missing,
# for the test that validates generated requests against their WSDL's
# schema (generator/internal/reqsize/schema_test.go; it skips without it,
# and fails without it when CI=true).

# install_xmllint: idempotent; quiet unless it installs something.
install_xmllint() {
	if command -v xmllint >/dev/null 2>&1; then
		return 0
	fi
	echo "$(basename "$0"): installing libxml2-utils (xmllint)" >&2
	need_root apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive need_root apt-get install -y -qq libxml2-utils >/dev/null
}
