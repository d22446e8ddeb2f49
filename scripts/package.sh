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

# What the binaries load besides the C library itself, and which Debian package holds each.
{
    echo "Shared libraries lms and lms-server need (install the packages with apt-get):"
    for binary in "$stage/$name/bin/lms" "$stage/$name/bin/lms-server"; do ldd "$binary"; done \
        | awk '/=> \// {print $3}' | sort -u | while read -r library; do
            package=$(dpkg -S "$(readlink -f "$library")" 2>/dev/null | head -1 | cut -d: -f1 || true)
            [ -z "$package" ] && package=$(dpkg -S "$library" 2>/dev/null | head -1 | cut -d: -f1 || true)
            printf '  %-40s %s\n' "$(basename "$library")" "${package:-?}"
        done
} > "$stage/$name/DEPENDENCIES"
cat > "$stage/$name/INSTALL" <<NOTE
lms $version for Linux ($arch)

  sudo apt-get install libncursesw6 libcurl4 libsqlite3-0   # see DEPENDENCIES for the exact list
  tar -xzf $name.tar.gz
  cp -R $name/bin $name/share ~/.local/                      # or any prefix; /usr/local needs sudo

Then: lms demo (try it), lms login https://your.lms.example (your server), man lms.
NOTE
mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "==> dist/$name.tar.gz"
cat "$stage/$name/DEPENDENCIES"
