#!/usr/bin/env bash
# Checks a .deb made by build-deb.sh as an installer would see it: its
# listing (`dpkg-deb -c`) holds the binary, the menu entry and every icon
# size; unpacked into a scratch folder (`dpkg-deb -x`), its binary runs and
# says the version in Cargo.toml.
#
#   packaging/check-deb.sh dist/shopkeeper_<version>_<arch>.deb
set -euo pipefail
cd "$(dirname "$0")/.."

deb="$1"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
listing=$(dpkg-deb -c "$deb")
expected=(./usr/bin/shopkeeper ./usr/share/applications/shopkeeper.desktop
    ./usr/share/doc/shopkeeper/copyright)
for icon in assets/icons/*x*.png; do
    expected+=("./usr/share/icons/hicolor/$(basename "$icon" .png)/apps/shopkeeper.png")
done
for path in "${expected[@]}"; do
    if ! grep -q " $path\$" <<<"$listing"; then
        echo "FAIL: $deb lacks $path" >&2
        echo "$listing" >&2
        exit 1
    fi
done
if ! grep -q '^-rwxr-xr-x root/root .* ./usr/bin/shopkeeper$' <<<"$listing"; then
    echo "FAIL: ./usr/bin/shopkeeper is not an executable owned by root" >&2
    exit 1
fi
[ "$(dpkg-deb -f "$deb" Package)" = shopkeeper ]
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ]

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
dpkg-deb -x "$deb" "$scratch"
said=$("$scratch/usr/bin/shopkeeper" --version)
if [ "$said" != "shopkeeper $version" ]; then
    echo "FAIL: the unpacked binary says \"$said\", not \"shopkeeper $version\"" >&2
    exit 1
fi
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$scratch/usr/share/applications/shopkeeper.desktop"
fi
echo "ok: $deb ($(du -h "$deb" | cut -f1)): ${#expected[@]} files checked, unpacked binary says \"$said\""
