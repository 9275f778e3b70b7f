#!/usr/bin/env bash
# Add bpgui to the desktop's application menu (freedesktop: GNOME, KDE, Xfce, …), per user.
#   bash packaging/install-desktop-entry.sh [BPGUI_EXECUTABLE]
#   bash packaging/install-desktop-entry.sh --uninstall
# BPGUI_EXECUTABLE defaults to the `bpgui` on PATH; give the path of a venv's bin/bpgui or of a
# frozen bundle's dist/bpgui/bpgui to use that one. Installs, under ${XDG_DATA_HOME:-~/.local/share}:
#   applications/bpgui.desktop                (packaging/bpgui.desktop, Exec set to that executable)
#   icons/hicolor/scalable/apps/bpgui.svg     (bpgui/gui/assets/bpgui.svg)
#   metainfo/io.github.bpgui.metainfo.xml     (packaging/io.github.bpgui.metainfo.xml)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
desktop="$data_home/applications/bpgui.desktop"
icon="$data_home/icons/hicolor/scalable/apps/bpgui.svg"
metainfo="$data_home/metainfo/io.github.bpgui.metainfo.xml"

# No gtk-update-icon-cache: desktops find a user's icons without a cache, and a cache in
# ~/.local/share/icons/hicolor would hide icons that other programs install later.
refresh_caches() {
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database -q "$data_home/applications" || true
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$desktop" "$icon" "$metainfo"
    refresh_caches
    echo "bpgui: removed the desktop entry, icon and metadata from $data_home"
    exit 0
fi

executable="${1:-$(command -v bpgui || true)}"
if [ -z "$executable" ] || [ ! -x "$executable" ]; then
    echo "bpgui: no bpgui executable found; pass its path, e.g. .venv/bin/bpgui or dist/bpgui/bpgui" >&2
    exit 2
fi
executable="$(cd "$(dirname "$executable")" && pwd)/$(basename "$executable")"
case "$executable" in
    *[[:space:]\"\'\\\`\$%]*)
        echo "bpgui: the path $executable has spaces or quotes; move it or link it from a plain path" >&2
        exit 2 ;;
esac

mkdir -p "$(dirname "$desktop")" "$(dirname "$icon")" "$(dirname "$metainfo")"
sed -e "s|^Exec=bpgui |Exec=$executable |" -e "s|^TryExec=bpgui\$|TryExec=$executable|" \
    "$here/packaging/bpgui.desktop" > "$desktop"
cp "$here/bpgui/gui/assets/bpgui.svg" "$icon"
cp "$here/packaging/io.github.bpgui.metainfo.xml" "$metainfo"
refresh_caches
echo "bpgui: installed $desktop (runs $executable), its icon and metadata"
