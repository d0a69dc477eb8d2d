#!/bin/sh
# Builds the .deb with CPack from the build tree and checks it with the Debian tools:
#   lintian (no errors; warnings are printed) and appstreamcli validate on the metainfo.
# Also checks that the package ships the man pages and the bash/zsh completion.
# Usage: package-lint.sh BUILD_DIR SOURCE_DIR. Skips (ctest SKIP) when a tool is missing.
set -eu
build=$1
src=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

meta=$(ls "$src"/resources/*.metainfo.xml 2>/dev/null | head -n1 || true)
if [ -n "$meta" ]; then
    if command -v appstreamcli >/dev/null 2>&1; then
        appstreamcli validate --no-net --pedantic "$meta"
    else
        echo "appstreamcli not installed: metainfo not validated"
    fi
fi

if ! command -v lintian >/dev/null 2>&1; then
    echo "SKIP   : lintian is not installed (apt-get install lintian)"
    exit 0
fi
if ! command -v cpack >/dev/null 2>&1; then
    echo "SKIP   : cpack is not installed"
    exit 0
fi
(cd "$build" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb | head -n1)
echo "package: $deb"
contents=$(dpkg-deb -c "$deb")
for f in ./usr/share/man/man1/sessiondesk.1.gz ./usr/share/man/man1/sessiondesk-cli.1.gz \
         ./usr/share/bash-completion/completions/sessiondesk-cli ./usr/share/zsh/vendor-completions/_sessiondesk-cli \
         ./usr/bin/sessiondesk-cli; do
    echo "$contents" | grep -q " $f\$" || { echo "missing from the package: $f"; exit 1; }
done
# Errors fail the test; warnings and info are shown for the record.
lintian --fail-on error --tag-display-limit 0 "$deb"
echo "lintian: no errors"
