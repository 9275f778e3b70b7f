"""MkDocs hook: the screenshots in ``resources/screenshots`` are part of the site.

They are produced by ``resources/screenshots/retake.py`` for the README and the docs alike;
this hook serves them under ``screenshots/`` instead of keeping a second copy in ``docs/``.
Pages link them as ``../resources/screenshots/NAME.png``, which also works when the Markdown
is read on its own (on GitHub, in an editor); the hook points such links at the site's copy.
"""

from __future__ import annotations

import os

from mkdocs.structure.files import File

RESOURCES = "resources"
SOURCE_PREFIX = "../resources/screenshots/"


def on_files(files, config):
    root = os.path.dirname(os.path.abspath(config["config_file_path"]))
    resources = os.path.join(root, RESOURCES)
    for name in sorted(os.listdir(os.path.join(resources, "screenshots"))):
        if name.endswith((".png", ".gif")):
            files.append(File(f"screenshots/{name}", resources, config["site_dir"],
                              config["use_directory_urls"]))
    return files


def on_page_markdown(markdown, page, config, files):
    depth = page.file.src_uri.count("/")  # pages in sub-folders climb one more level
    return markdown.replace("../" * depth + SOURCE_PREFIX, "screenshots/")
