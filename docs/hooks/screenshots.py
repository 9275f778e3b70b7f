"""MkDocs hook: the screenshots in ``resources/screenshots`` are part of the site.

They are produced by ``resources/screenshots/retake.py`` for the README and the docs alike;
this hook serves them under ``screenshots/`` instead of keeping a second copy in ``docs/``.
"""

from __future__ import annotations

import os

from mkdocs.structure.files import File

RESOURCES = "resources"


def on_files(files, config):
    root = os.path.dirname(os.path.abspath(config["config_file_path"]))
    resources = os.path.join(root, RESOURCES)
    for name in sorted(os.listdir(os.path.join(resources, "screenshots"))):
        if name.endswith((".png", ".gif")):
            files.append(File(f"screenshots/{name}", resources, config["site_dir"],
                              config["use_directory_urls"]))
    return files
