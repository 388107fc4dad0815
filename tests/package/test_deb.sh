#!/usr/bin/env bash
# Builds the Debian package with CPack and checks it: control fields
# (name, version, maintainer, computed Depends) and that the contents hold
# the command, the library and its links, the headers, reistijd.pc (with
# prefix /usr), the CMake package files, the man page, the copyright file
# and the data attributions.
# Usage: test_deb.sh BUILD_DIR VERSION STATIC (ON: libreistijd.a is installed)
set -euo pipefail
build=$1 version=$2 static=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_deb: FAILED: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
deb=$(find "$tmp" -maxdepth 1 -name 'reistijd_*.deb')
[ -n "$deb" ] || fail "no reistijd_*.deb in $tmp"
echo "built $(basename "$deb")"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = reistijd ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', not $version"
[ "$(field Maintainer)" = reistijd ] || fail "Maintainer is '$(field Maintainer)'"
depends=$(field Depends)
for dep in libc6 libgdal libproj libgeos-c libgomp1 libfyaml libjson-c libssl; do
    [[ "$depends" == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
dpkg-deb -I "$deb" shlibs | grep -q '^libreistijd [0-9]* reistijd' || fail "no shlibs entry"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
for path in /usr/bin/reistijd \
    /usr/lib/libreistijd.so "/usr/lib/libreistijd.so.$version" \
    /usr/include/reistijd/rt.h /usr/include/reistijd/rt_ctx.h /usr/include/reistijd/rt_search.h \
    /usr/include/reistijd/rt_stats.h /usr/include/reistijd/rt_status.h \
    /usr/include/reistijd/rt_study.h /usr/include/reistijd/rt_export.h \
    /usr/lib/pkgconfig/reistijd.pc \
    /usr/lib/cmake/reistijd/reistijdConfig.cmake \
    /usr/lib/cmake/reistijd/reistijdConfigVersion.cmake \
    /usr/lib/cmake/reistijd/reistijdTargets.cmake \
    /usr/share/man/man1/reistijd.1 \
    /usr/share/doc/reistijd/copyright /usr/share/doc/reistijd/README.md \
    /usr/share/doc/reistijd/quickstart.md /usr/share/doc/reistijd/geodata/README.md; do
    grep -qxF "$path" "$tmp/contents" || fail "the package lacks $path"
done
if [ "$static" = ON ]; then
    grep -qxF /usr/lib/libreistijd.a "$tmp/contents" || fail "the package lacks /usr/lib/libreistijd.a"
fi
grep -qE '^/usr/lib/libreistijd\.so\.[0-9]+$' "$tmp/contents" || fail "the package lacks the SONAME link"
n_src=$(grep -c '^/usr/share/doc/reistijd/geodata/.*/SOURCE.txt$' "$tmp/contents" || true)
[ "$n_src" -ge 1 ] || fail "no geodata SOURCE.txt in the package"
if grep -vE '^/usr/(bin|lib|include|share)(/|$)|^/$|^/usr/$' "$tmp/contents" >"$tmp/stray"; then
    cat "$tmp/stray" >&2
    fail "files outside /usr/{bin,lib,include,share}"
fi

dpkg-deb -x "$deb" "$tmp/root"
grep -qx 'prefix=/usr' "$tmp/root/usr/lib/pkgconfig/reistijd.pc" || fail "reistijd.pc: prefix is not /usr"
readelf -d "$tmp/root/usr/bin/reistijd" | grep -q 'NEEDED.*libreistijd\.so\.[0-9]' ||
    fail "/usr/bin/reistijd does not link libreistijd.so"
echo "test_deb: $(wc -l <"$tmp/contents") entries, $n_src data attributions; all checks passed"
