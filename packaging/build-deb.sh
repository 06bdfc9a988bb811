#!/usr/bin/env bash
# Builds dist/shopkeeper_<version>_<arch>.deb from an already built binary,
# with plain `dpkg-deb --build` (part of dpkg, on every Debian and Ubuntu):
# no packaging tool to install or compile first.
#
#   packaging/build-deb.sh [BINARY]
#
# BINARY defaults to $CARGO_TARGET_DIR/release/shopkeeper (or target/...);
# build it first with `cargo build --release`. The package holds the binary,
# the menu entry (packaging/shopkeeper.desktop), the icon in the sizes under
# assets/icons/ (made from assets/icon.png, see packaging/README.md) and a
# copyright file. Prints the path of the .deb it wrote.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${1:-${CARGO_TARGET_DIR:-target}/release/shopkeeper}"
if [ ! -x "$bin" ]; then
    echo "No binary at $bin: build it first (cargo build --release), or pass its path." >&2
    exit 1
fi
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
arch=$(dpkg --print-architecture)
if [ -z "$version" ]; then
    echo "Could not read the version from Cargo.toml." >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/shopkeeper_${version}_${arch}"

install -D -m 755 "$bin" "$root/usr/bin/shopkeeper"
# The release profile keeps no debug info; its symbol table is a third of the file.
if command -v strip >/dev/null; then
    strip --strip-unneeded "$root/usr/bin/shopkeeper"
fi
install -D -m 644 packaging/shopkeeper.desktop "$root/usr/share/applications/shopkeeper.desktop"
for icon in assets/icons/*x*.png; do
    size=$(basename "$icon" .png)
    install -D -m 644 "$icon" "$root/usr/share/icons/hicolor/$size/apps/shopkeeper.png"
done
install -D -m 644 README.md "$root/usr/share/doc/shopkeeper/README.md"
cat > "$root/usr/share/doc/shopkeeper/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: shopkeeper

Files: *
Copyright: the Shopkeeper authors
License: MIT or Apache-2.0
COPYRIGHT

mkdir -p "$root/DEBIAN"
installed=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
# The binary links only libc, libm and libgcc_s (glibc 2.35 or newer);
# the window's libraries (GL, X11 or Wayland, xkbcommon) are opened at run time.
cat > "$root/DEBIAN/control" <<CONTROL
Package: shopkeeper
Version: $version
Architecture: $arch
Maintainer: The Shopkeeper authors <shopkeeper@localhost>
Installed-Size: $installed
Depends: libc6 (>= 2.35), libgcc-s1, libgl1, libxkbcommon0
Recommends: libxkbcommon-x11-0, libx11-6, libxcursor1, libxrandr2, libxi6, libwayland-client0, libwayland-egl1, xdg-desktop-portal, fonts-noto-core
Section: misc
Priority: optional
Description: offline desktop app for a small online shop
 Customers, products, orders, reports and sales trends in one local SQLite
 file. Works without a network; exports reports as CSV and Excel files.
CONTROL

mkdir -p dist
out="dist/shopkeeper_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out" >/dev/null
echo "$out"
