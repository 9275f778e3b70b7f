"""The output map of an animation: the network's output over the input plane, with the
training points, for data of two numeric features.

It is the window's decision-boundary view (``decisionBoundaryView``) without Qt: the same grid
(:func:`bpgui.visual.output_map.data_plane_grid` over all the data, in the network's scaled units,
drawn in raw feature units), the same class colours blended by probability (classification)
or blue-white-orange value scale between the training targets' range (regression), and the
training points in the same colours with a dark rim. The map is computed on the window's grid
(:data:`GRID_SIZE` cells a side) and smoothed up to the plot's pixels.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from bpgui.animation import canvas
from bpgui.engine.metrics import predicted_labels
from bpgui.visual import output_map

GRID_SIZE = output_map.GRID_SIZE  # the window's grid
CHUNK_ROWS = 2048
POINT_RADIUS = 3.6   # pixels at scale 1
POINT_RIM = (30, 30, 30, 200)


class PlanePanel:
    """The output map in ``box`` (x0, y0, x1, y1) of a frame; ``scale`` 1 = an 800 x 450 frame.

    Parameters
    ----------
    box : tuple of int
    scale : float
    data : bpgui.data.PreparedData
    axes : tuple
        :func:`bpgui.visual.output_map.plane_axes` of the data: names, centre, scale.
    """

    def __init__(self, box, scale, data, axes):
        x0, y0, x1, y1 = box
        self.scale = scale
        self.font_size = 11 * scale
        self.data = data
        self.names, center, spread = axes
        left, bottom = x0 + 58 * scale, y1 - 40 * scale
        side = int(min(x1 - 8 * scale - left, bottom - (y0 + 8 * scale)))
        top = int(y0 + 8 * scale + (bottom - (y0 + 8 * scale) - side) / 2)
        self.rect = (int(left), top, int(left) + side, top + side)
        self.side = side
        self.grid = output_map.data_plane_grid(data, GRID_SIZE)  # derived inputs included
        self.levels = (0.0, 1.0) if data.task == "classification" else output_map.value_levels(
            data.preprocessor.decode(data.Y_train)[:, 0])
        raw = output_map.to_raw(output_map.plane_features(data.X_train), center, spread)
        self.points = self._points(raw, self._point_colours(data.Y_train))

    # -- coordinates ---------------------------------------------------------------------------

    def x_pixel(self, value):
        gx, _, width, _ = self.grid.raw_rect
        return self.rect[0] + (np.asarray(value) - gx) / width * self.side

    def y_pixel(self, value):
        _, gy, _, height = self.grid.raw_rect
        return self.rect[3] - (np.asarray(value) - gy) / height * self.side

    # -- what never changes --------------------------------------------------------------------

    def draw_static(self, image):
        draw = ImageDraw.Draw(image)
        gx, gy, width, height = self.grid.raw_rect
        x_ticks, x_step = canvas.nice_ticks(gx, gx + width, count=5)
        y_ticks, y_step = canvas.nice_ticks(gy, gy + height, count=5)
        frame = (self.rect[0], self.rect[1], self.rect[2], self.rect[3])
        canvas.draw_x_ticks(draw, frame, x_ticks, self.x_pixel,
                            [canvas.tick_label(t, x_step) for t in x_ticks], self.font_size)
        canvas.draw_y_ticks(draw, frame, y_ticks, self.y_pixel,
                            [canvas.tick_label(t, y_step) for t in y_ticks], self.font_size)
        names = [canvas.fit_text(name, canvas.font(self.font_size * 1.1), self.side) for name in self.names]
        canvas.draw_axis_names(image, frame, names[0], names[1], self.font_size * 1.1,
                               self.rect[0] - 48 * self.scale)

    def _point_colours(self, Y):
        """RGB 0..255 (n, 3) of the points: their class's colour, or their target's value."""
        if self.data.task == "classification":
            labels = predicted_labels(Y)  # a 0/1 column or one-hot rows → class index
            rgb = output_map.class_colours(len(self.data.classes))[labels]
        else:
            rgb = output_map.value_colours(self.data.preprocessor.decode(Y)[:, 0], self.levels)
        return np.round(np.asarray(rgb) * 255).astype(int)

    def _points(self, raw, colours):
        """The training points, smooth, on a transparent image the size of the plot area."""
        xs = self.x_pixel(raw[:, 0]) - self.rect[0]
        ys = self.y_pixel(raw[:, 1]) - self.rect[1]
        radius = POINT_RADIUS * self.scale

        def paint(draw, factor):
            rim = max(int(round(0.9 * factor * self.scale)), 1)
            for x, y, rgb in zip(xs * factor, ys * factor, colours.tolist()):
                r = radius * factor
                draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rgb) + (255,), outline=POINT_RIM, width=rim)

        return canvas.supersampled(self.side + 1, self.side + 1, paint)

    # -- a frame -------------------------------------------------------------------------------

    def map_image(self, network):
        """The network's output over the plane as an RGB image of the plot's size."""
        # blocks larger than the window's (no drawing thread waits for the interpreter here)
        # but small enough that BLAS does not spread them over threads, which costs more
        outputs = output_map.in_chunks(network.forward, self.grid.points, CHUNK_ROWS)
        size = self.grid.size
        if self.data.task == "classification":
            rgba = output_map.classification_rgba(outputs)
        else:
            values = self.data.preprocessor.decode(outputs)[:, 0]
            rgba = output_map.rgba_rows(output_map.value_colours(values, self.levels))
        rgba = rgba.reshape(size, size, 4)
        # grid rows run up the y axis; image rows run down
        picture = Image.fromarray(np.ascontiguousarray(rgba[::-1, :, :3]), "RGB")
        return picture.resize((self.side, self.side), Image.Resampling.BILINEAR)

    def draw(self, image, network):
        """The map of ``network`` (the frame's weights) and the training points over it."""
        image.paste(self.map_image(network), self.rect[:2])
        image.paste(self.points, self.rect[:2], self.points)
        canvas.draw_axes_box(ImageDraw.Draw(image), self.rect)
