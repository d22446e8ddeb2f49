#!/usr/bin/env bash
# Builds release binaries with Swift's runtime linked in and lays out an installation under DIR:
# bin/, share/lms/themes, shell completions and man pages. Used by install.sh and package.sh.
#
#   bash scripts/stage.sh DIR
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
dir=${1:?usage: stage.sh DIR}

for pkg in libncursesw5-dev libcurl4-openssl-dev libsqlite3-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="${missing:-} $pkg"
done
if [ -n "${missing:-}" ]; then
    echo "==> installing$missing"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
fi

echo "==> building lms and lms-server (release, Swift runtime linked in)"
for product in lms lms-server; do
    swift build -c release --static-swift-stdlib --scratch-path .build-dist --product "$product" 2>&1 \
        | grep -E "error|warning: .*/Sources/|Compiling|Build complete" | grep -vE "^\[[0-9]+/[0-9]+\] Compiling" || true
done
bin=.build-dist/release
[ -x "$bin/lms" ] && [ -x "$bin/lms-server" ] || { echo "stage.sh: the build failed" >&2; exit 1; }

mkdir -p "$dir/bin" "$dir/share/lms/themes" "$dir/share/man/man1" "$dir/share/bash-completion/completions" \
    "$dir/share/zsh/site-functions" "$dir/share/fish/vendor_completions.d"
install -m 0755 "$bin/lms" "$bin/lms-server" "$dir/bin/"
# Debug symbols are most of their size.
strip "$dir/bin/lms" "$dir/bin/lms-server"
install -m 0644 themes/*.toml "$dir/share/lms/themes/"
# ArgumentParser writes the completion scripts and the man pages from the commands themselves.
"$dir/bin/lms" --generate-completion-script bash > "$dir/share/bash-completion/completions/lms"
"$dir/bin/lms" --generate-completion-script zsh > "$dir/share/zsh/site-functions/_lms"
"$dir/bin/lms" --generate-completion-script fish > "$dir/share/fish/vendor_completions.d/lms.fish"
# The plugin builds the package (debug: the build the tests use), asks each command for its help
# and writes the pages in its own work folder, which it names.
manual=$(swift package plugin --allow-writing-to-package-directory generate-manual --configuration debug --multi-page 2>&1 \
    | sed -n "s|^Generated manual in '\(file://\)\{0,1\}\(.*\)'$|\2|p" | grep -E '/lms/?$' | head -1)
[ -n "$manual" ] && ls "$manual"/*.1 >/dev/null 2>&1 || { echo "stage.sh: the man pages were not generated" >&2; exit 1; }
install -m 0644 "$manual"/*.1 "$dir/share/man/man1/"
echo "==> staged in $dir"
