"""Animation files: GIF through Pillow, MP4 through imageio-ffmpeg (the optional extra
``bpgui[video]``: it brings its own ffmpeg binary, about 170 MB installed).

Both write through :mod:`bpgui.io.atomic`: until the last frame is in, the destination is
untouched (or absent), and a failure or a cancel leaves nothing behind. Frames arrive one at a
time from an iterator, so a long animation is never all in memory as RGB.
"""

from __future__ import annotations

import math
import os

from PIL import Image

from bpgui.io.atomic import atomic_open, atomic_path, check_writable, describe_os_error

FORMATS = {".gif": "gif", ".mp4": "mp4"}
"""File extension → format."""
VIDEO_EXTRA = "writing MP4 needs imageio-ffmpeg: pip install 'bpgui[video]' (or write a .gif)"
MP4_QUALITY = 8  # imageio-ffmpeg's 0..10 (libx264 CRF 10): text and thin lines stay sharp


class VideoUnavailable(ValueError):
    """MP4 was asked for and imageio-ffmpeg (or its ffmpeg binary) is missing."""


def animation_format(path):
    """``"gif"`` or ``"mp4"`` from ``path``'s extension; ``ValueError`` for any other."""
    extension = os.path.splitext(os.fspath(path))[1].lower()
    if extension not in FORMATS:
        shown = f"'{extension}'" if extension else "no extension"
        raise ValueError(f"{path}: an animation is written as .gif or .mp4, not {shown}")
    return FORMATS[extension]


def check_output(path, size):
    """Refuse, before any training, what could only fail after it: a wrong extension, a
    missing or read-only folder, a folder where the file should go, MP4 without imageio-ffmpeg
    or with an odd width or height (H.264 in yuv420p needs even ones).

    Returns
    -------
    str : ``"gif"`` or ``"mp4"``.
    """
    kind = animation_format(path)
    try:  # what the write would refuse, refused before the training: as bpgui train's --out
        check_writable(path)
    except OSError as error:
        raise ValueError(describe_os_error(error)) from None
    if kind == "mp4":
        ffmpeg_executable()
        if size[0] % 2 or size[1] % 2:
            raise ValueError(f"{path}: MP4 needs an even width and height, got {size[0]}x{size[1]}")
    return kind


def ffmpeg_executable():
    """The ffmpeg that imageio-ffmpeg brings; :class:`VideoUnavailable` when it is missing."""
    try:
        import imageio_ffmpeg
    except ImportError:
        raise VideoUnavailable(VIDEO_EXTRA) from None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:  # the package without a usable binary for this platform
        raise VideoUnavailable(VIDEO_EXTRA) from None


def write_animation(path, kind, images, fps, size, palette_images=(), dither_box=None):
    """Write ``images`` (an iterator of RGB Pillow images of ``size``) as ``kind`` at ``fps``.

    Parameters
    ----------
    palette_images : sequence of Image
        Frames whose colours make the GIF's one palette (the first and the last, say).
    dither_box : (x0, y0, x1, y1), optional
        The part of each frame with smooth colour gradients (the output map), which a GIF
        dithers; the rest (flat colours, lines, text) needs no dithering.
    """
    if kind == "gif":
        write_gif(path, images, fps, palette_images, dither_box)
    else:
        write_mp4(path, images, fps, size)


def gif_palette(images):
    """One 256-colour palette (a "P" image) for every frame, from the colours of ``images``:
    every frame then shares it, and quantising a frame is a cheap nearest-colour look-up."""
    images = list(images)
    montage = Image.new("RGB", (sum(image.width for image in images), max(image.height for image in images)))
    x = 0
    for image in images:
        montage.paste(image, (x, 0))
        x += image.width
    return montage.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def write_gif(path, images, fps, palette_images=(), dither_box=None):
    """A looping GIF; each frame lasts 1/``fps`` s (GIF counts in hundredths of a second).

    Every frame is mapped to one shared palette (:func:`gif_palette`); the ``dither_box`` part
    is dithered (Floyd-Steinberg), as a smooth output map, a regression surface above all,
    otherwise shows bands of colour.
    """
    images = iter(images)
    first = next(images)
    palette = gif_palette(list(palette_images) or [first])

    def indexed(image):
        picture = image.quantize(palette=palette, dither=Image.Dither.NONE)
        if dither_box is not None:
            smooth = image.crop(dither_box).quantize(palette=palette, dither=Image.Dither.FLOYDSTEINBERG)
            picture.paste(smooth, dither_box[:2])
        return picture

    duration = int(round(frame_seconds(fps) * 1000))
    with atomic_open(path, "wb") as handle:
        indexed(first).save(handle, format="GIF", save_all=True, append_images=(indexed(i) for i in images),
                            duration=duration, loop=0)


def write_mp4(path, images, fps, size):
    """An H.264 MP4 (yuv420p, playable everywhere) through imageio-ffmpeg's ffmpeg, written to
    a temporary file beside ``path`` that replaces it only once ffmpeg has finished."""
    ffmpeg_executable()
    import imageio_ffmpeg

    with atomic_path(path) as temporary:
        writer = imageio_ffmpeg.write_frames(
            temporary, tuple(int(v) for v in size), fps=float(fps), codec="libx264", quality=MP4_QUALITY,
            macro_block_size=2, ffmpeg_log_level="error", output_params=["-f", "mp4", "-movflags", "+faststart"])
        writer.send(None)
        try:
            for image in images:
                writer.send(image.tobytes())
        finally:
            writer.close()  # waits for ffmpeg; the file is complete only then


def frame_seconds(fps):
    """How long a GIF shows each frame at ``fps``, after rounding to hundredths of a second."""
    return max(math.floor(100.0 / fps + 0.5), 1) / 100.0
