#!/usr/bin/env bash
# One entry point for a fresh Debian machine with Python 3.11, pip and apt:
#   bash packaging/dev.sh app [BPGUI ARGS…]   set up, then open the window
#   bash packaging/dev.sh test [PYTEST ARGS…] set up, then run the whole test suite
#   bash packaging/dev.sh docs [serve]        set up, then build the documentation into site/
#                                             (mkdocs build --strict), or preview it
#   bash packaging/dev.sh setup               set up only
# Set-up is idempotent: a venv in .venv, the package in editable mode with its test
# extra, and (as root, when missing) the Debian packages Qt's xcb platform needs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
venv="$here/.venv"
python="${PYTHON:-python3.11}"
command -v "$python" >/dev/null 2>&1 || python=python3

apt_packages=(xvfb xauth x11-utils libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
              libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxkbcommon-x11-0 libegl1
              libgl1 libfontconfig1 libdbus-1-3)

install_apt() {
    local missing=()
    for p in "${apt_packages[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
        echo "bpgui: please install with apt: ${missing[*]}" >&2
        return 0
    fi
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "bpgui: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup() {
    install_apt
    if [ ! -x "$venv/bin/python" ]; then
        "$python" -m venv "$venv"
    fi
    local stamp="$venv/.bpgui-installed"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null
        "$venv/bin/python" -m pip install -q -e ".[test]"
        touch "$stamp"
    fi
}

setup_docs() {
    setup
    local stamp="$venv/.bpgui-docs-installed"
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        "$venv/bin/python" -m pip install -q -e ".[docs]"
        touch "$stamp"
    fi
}

cmd="${1:-app}"; shift || true
case "$cmd" in
    setup) setup ;;
    app)
        setup
        if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
            echo "bpgui: no display found; starting the window on a virtual X display (xvfb-run)." >&2
            exec xvfb-run -a -s "-screen 0 1600x1000x24" "$venv/bin/bpgui" "${@:---example=spiral}"
        fi
        exec "$venv/bin/bpgui" "${@:---example=spiral}"
        ;;
    test)
        setup
        export QT_QPA_PLATFORM=offscreen PYQTGRAPH_QT_LIB=PySide6
        exec "$venv/bin/python" -m pytest "$@"
        ;;
    docs)
        setup_docs
        export NO_MKDOCS_2_WARNING=1  # Material's end-of-life banner is not a problem of ours
        if [ "${1:-}" = "serve" ]; then
            shift
            exec "$venv/bin/mkdocs" serve "$@"
        fi
        exec "$venv/bin/mkdocs" build --strict "$@"
        ;;
    *) echo "usage: bash packaging/dev.sh app|test|docs|setup [ARGS…]" >&2; exit 2 ;;
esac
