#!/usr/bin/env bash
# Builds lms and lms-server in release mode (Swift's runtime linked in, so they run without a
# Swift toolchain) and installs them under PREFIX (default ~/.local):
#   bin/lms, bin/lms-server
#   share/lms/themes/*.toml
#   share/bash-completion/completions/lms, share/zsh/site-functions/_lms, share/fish/vendor_completions.d/lms.fish
#   share/man/man1/lms.1 and one page per subcommand
#
#   bash scripts/install.sh [--prefix DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

prefix="$HOME/.local"
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="$2"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
bash scripts/stage.sh "$stage"
mkdir -p "$prefix"
cp -R "$stage"/. "$prefix"/
echo "Installed lms $("$prefix/bin/lms" --version) under $prefix"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "Add $prefix/bin to your PATH to run lms." ;; esac
