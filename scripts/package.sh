#!/usr/bin/env bash
# A tarball for Debian and Ubuntu machines without Swift: the layout install.sh makes (bin/,
# share/...), a DEPENDENCIES file naming the shared libraries the binaries need and the packages
# that hold them, and an install note. Writes dist/lms-VERSION-linux-ARCH.tar.gz.
#
#   bash scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
version=$(grep -o '"[0-9][^"]*"' Sources/LMSKit/Support/Version.swift | tr -d '"')
arch=$(uname -m)
name="lms-$version-linux-$arch"
bash scripts/stage.sh "$stage/$name"

# The libraries the binaries name (their own dependencies come with the packages), and which
# Debian package holds each.
{
    echo "Shared libraries lms and lms-server need, and the Debian/Ubuntu packages that hold them:"
    for binary in "$stage/$name/bin/lms" "$stage/$name/bin/lms-server"; do
        readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'
    done | sort -u | while read -r soname; do
        path=$(ldconfig -p | awk -v so="$soname" '$1 == so {print $NF; exit}')
        package=$( { [ -n "$path" ] && dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$soname" 2>/dev/null; } | grep -v -- '-dev:' | head -1 | cut -d: -f1)
        printf '  %-28s %s\n' "$soname" "${package:-?}"
    done
} > "$stage/$name/DEPENDENCIES"
cat > "$stage/$name/INSTALL" <<NOTE
lms $version for Linux ($arch)

  sudo apt-get install libncursesw6 libcurl4 libsqlite3-0   # see DEPENDENCIES for the exact list
  tar -xzf $name.tar.gz
  cp -R $name/bin $name/share ~/.local/                      # or any prefix; /usr/local needs sudo

Then: lms demo (try it), lms login https://your.lms.example (your server), man lms.
lms-server backup on PostgreSQL also needs pg_dump and pg_restore of the server's major version
(postgresql-client-16 for PostgreSQL 16; or point LMS_PG_DUMP at one).
NOTE
mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "==> dist/$name.tar.gz"
cat "$stage/$name/DEPENDENCIES"
