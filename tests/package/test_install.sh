#!/usr/bin/env bash
# Installs the build into a temporary prefix and uses it from outside the
# source tree, the way a user would:
#   - the installed command runs and finds its library;
#   - the library exports exactly the RT_API functions of the installed
#     headers, under the SONAME libreistijd.so.<N>;
#   - tests/package (consumer.c) builds with find_package(reistijd CONFIG),
#     shared and (when libreistijd.a is installed) static, and with
#     pkg-config; every build runs and checks a hand-computed search;
#   - the C example of docs/quickstart.md builds with pkg-config and runs.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR C_COMPILER [EXTRA_CFLAGS]
set -euo pipefail
build=$1 src=$2 cc=$3 cflags=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "test_install: FAILED: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install"; }
version=$(sed -n 's/^Version: //p' "$(find "$prefix" -name reistijd.pc)")
[ -n "$version" ] || fail "no reistijd.pc under $prefix"
echo "installed reistijd $version into $prefix"

# The command, with no help from the environment.
out=$(env -u LD_LIBRARY_PATH "$prefix/bin/reistijd" --version)
[ "$out" = "reistijd $version" ] || fail "bin/reistijd --version printed '$out'"

# The library: SONAME and exported symbols.
lib=$(find "$prefix" -name 'libreistijd.so.*.*.*' | head -n 1)
[ -n "$lib" ] || fail "no libreistijd.so.X.Y.Z"
libdir=$(dirname "$lib")
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[[ "$soname" =~ ^libreistijd\.so\.[0-9]+$ ]] || fail "SONAME is '$soname'"
[ -L "$libdir/$soname" ] && [ -L "$libdir/libreistijd.so" ] || fail "missing $soname or libreistijd.so link"
static=OFF
[ -f "$libdir/libreistijd.a" ] && static=ON
nm -D --defined-only "$lib" | awk '{print $3}' | grep -vxE '_edata|_end|__bss_start' | sort >"$tmp/exported"
find "$prefix/include/reistijd" -name "*.h" ! -name rt_export.h -exec cat {} + | tr '\n' ' ' | grep -oE 'RT_API[^;{(]*\(' |
    grep -oE '[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\($' | tr -d '( ' | sort >"$tmp/declared"
[ "$(wc -l <"$tmp/declared")" -ge 20 ] || fail "found only $(wc -l <"$tmp/declared") RT_API declarations"
if ! diff -u "$tmp/declared" "$tmp/exported" >"$tmp/symdiff"; then
    cat "$tmp/symdiff" >&2
    fail "exported symbols (+) differ from the RT_API declarations (-)"
fi
echo "libreistijd: SONAME $soname, $(wc -l <"$tmp/exported") symbols, all declared RT_API"

# find_package(reistijd CONFIG).
cmake -S "$src/tests/package" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$cflags" -DCMAKE_BUILD_TYPE=Debug \
    -DRT_REQUIRE_STATIC=$static \
    >"$tmp/consumer.log" 2>&1 || { cat "$tmp/consumer.log"; fail "configuring tests/package"; }
cmake --build "$tmp/consumer" >>"$tmp/consumer.log" 2>&1 || { cat "$tmp/consumer.log"; fail "building tests/package"; }
"$tmp/consumer/consumer" || fail "consumer (find_package, shared)"
readelf -d "$tmp/consumer/consumer" | grep -q "NEEDED.*\[$soname\]" || fail "consumer does not link $soname"
if [ $static = ON ]; then
    "$tmp/consumer/consumer_static" || fail "consumer_static (find_package, static)"
    if readelf -d "$tmp/consumer/consumer_static" | grep -q 'NEEDED.*libreistijd'; then
        fail "consumer_static links the shared library"
    fi
fi

# pkg-config.
export PKG_CONFIG_PATH=$libdir/pkgconfig
[ "$(pkg-config --modversion reistijd)" = "$version" ] || fail "pkg-config --modversion"
pkg-config --static --libs reistijd | grep -q -- '-lgdal' || fail "pkg-config --static --libs lacks -lgdal"
# shellcheck disable=SC2046
"$cc" $cflags -o "$tmp/consumer_pc" "$src/tests/package/consumer.c" \
    -DEXPECTED_VERSION="\"$version\"" $(pkg-config --cflags --libs reistijd) -lm ||
    fail "building consumer.c with pkg-config"
LD_LIBRARY_PATH=$libdir "$tmp/consumer_pc" || fail "consumer (pkg-config)"

# The example of docs/quickstart.md, as printed there.
awk '/^```c$/ {on = 1; next} /^```$/ {on = 0} on' "$src/docs/quickstart.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] || fail "no C example in docs/quickstart.md"
# shellcheck disable=SC2046
"$cc" $cflags -std=c11 -Wall -Wextra -Werror -o "$tmp/example" "$tmp/example.c" \
    $(pkg-config --cflags --libs reistijd) || fail "building the example of docs/quickstart.md"
LD_LIBRARY_PATH=$libdir "$tmp/example" >"$tmp/example.out" || fail "the example of docs/quickstart.md"
cat "$tmp/example.out"
grep -q ": 141.42 s to the bottom-right cell" "$tmp/example.out" || fail "the example printed another time"
echo "test_install: all checks passed"
