"""The network drawing of an animation, for data that is not a plane of two features.

It draws what the window's ``networkView`` draws in its default colouring, by the same rules
(:mod:`bpgui.visual.network_layout`): layers as columns (wide layers collapsed to their first
neurons and "… N more"), links orange for positive and blue for negative weights, wider for
larger |w| against the network's largest, and neurons filled by their backpropagated gradient,
the mean |delta| = |dL/dz| on the trainer's probe rows, on the warm half of the diverging map
scaled to the frame's largest (the legend gives that value). Inputs and outputs are labelled by
the data's column and class names where the layer is drawn whole.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from bpgui.animation import canvas
from bpgui.visual.colormap import (INPUT_NEURON_RGB, NEGATIVE_LINK_RGB, NEURON_OUTLINE_RGB,
                                   POSITIVE_LINK_RGB, diverging_rgb)
from bpgui.visual.network_layout import (LINK_ALPHA, MAX_SHOWN, WIDTH_STEPS, largest_weight, layer_title,
                                         link_codes, link_width, neuron_rgb, neuron_scale, shown_indices)

RADIUS = 11.0       # the window's neuron radius, against which link widths are given
FACTOR = 2          # the per-frame drawing's supersampling (cheaper than canvas.SUPERSAMPLE)
LEGEND_TITLE = "gradient: mean |dL/dz|"
LINKS_NOTE = "links: orange +, blue -, width |w|"


def output_names(data, n_outputs):
    """The names beside the output neurons: classes, ``P(class)`` of one sigmoid unit, or the
    regression targets."""
    if data.task == "classification" and data.classes is not None:
        classes = [str(c) for c in data.classes]
        return [f"P({classes[-1]})"] if n_outputs == 1 else classes
    return [str(name) for name in data.target_names]


class NetworkPanel:
    """The network in ``box`` (x0, y0, x1, y1) of a frame; ``scale`` 1 = an 800 x 450 frame.

    Parameters
    ----------
    box : tuple of int
    scale : float
    sizes : tuple of int
        Units per layer, the input first.
    input_names, output_names : list of str
    """

    def __init__(self, box, scale, sizes, input_names, output_names):
        self.box, self.scale, self.sizes = box, scale, tuple(sizes)
        self.font_size = 10 * scale
        x0, y0, x1, y1 = box
        label_font = canvas.font(self.font_size)
        # names only beside a layer drawn whole
        self.input_names = list(input_names) if len(input_names) == sizes[0] <= MAX_SHOWN else []
        self.output_names = list(output_names) if len(output_names) == sizes[-1] <= MAX_SHOWN else []
        left = _label_width(self.input_names, label_font, 0.22 * (x1 - x0))
        right = _label_width(self.output_names, label_font, 0.18 * (x1 - x0))
        self.label_widths = (left, right)
        self.title_font = canvas.font(self.font_size * 1.05)
        titles = [layer_title(layer, len(sizes), n) for layer, n in enumerate(sizes)]
        half_titles = [self.title_font.getlength(titles[k]) / 2 + 6 * scale for k in (0, -1)]
        self.area = (x0 + max(left + 22 * scale, half_titles[0]), y0 + 30 * scale,
                     x1 - max(right + 22 * scale, half_titles[1]), y1 - 44 * scale)
        self.positions, self.radius = self._layout()
        self.titles = [(self._title_place(layer), title) for layer, title in enumerate(titles)]
        bar_left = int(x0 + 12 * scale + label_font.getlength(LEGEND_TITLE) + 24 * scale)
        bar_width = int(min(140 * scale, (x1 - x0) * 0.3))
        self.legend_bar = (bar_left, int(y1 - 32 * scale), bar_left + bar_width, int(y1 - 22 * scale))

    # -- layout --------------------------------------------------------------------------------

    def _layout(self):
        """Pixel centres of the drawn neurons, ``{(layer, index): (x, y)}``, and their radius."""
        ax0, ay0, ax1, ay1 = self.area
        n_layers = len(self.sizes)
        rows = [len(shown_indices(n)) + (len(shown_indices(n)) < n) for n in self.sizes]
        gap = min(34 * self.scale, (ay1 - ay0) / max(max(rows), 1))
        radius = min(RADIUS * self.scale, 0.36 * gap)
        middle = (ay0 + ay1) / 2
        positions = {}
        for layer, n_units in enumerate(self.sizes):
            x = ax0 + (ax1 - ax0) * (layer / (n_layers - 1) if n_layers > 1 else 0.5)
            for row, index in enumerate(shown_indices(n_units)):
                positions[layer, index] = (x, middle + (row - (rows[layer] - 1) / 2) * gap)
        self.gap, self.rows = gap, rows
        self.more_labels = [((positions[layer, 0][0], middle + (rows[layer] - 1) / 2 * gap),
                             f"… {n - len(shown_indices(n))} more")
                            for layer, n in enumerate(self.sizes) if len(shown_indices(n)) < n]
        xs, ys = zip(*positions.values(), *(place for place, _ in self.more_labels))
        margin = radius + 3 * self.scale
        self.drawing_rect = (int(min(xs) - margin), int(min(ys) - margin),
                             int(max(xs) + margin) + 1, int(max(ys) + margin) + 1)
        return positions, radius

    def _title_place(self, layer):
        """Where a layer's title goes: centred above its top neuron."""
        middle = (self.area[1] + self.area[3]) / 2
        top = middle - (self.rows[layer] - 1) / 2 * self.gap - self.radius
        return self.positions[layer, 0][0], top - 8 * self.scale

    # -- what never changes --------------------------------------------------------------------

    def draw_static(self, image):
        """Input and output names and the legend's words (the layer titles, which may lie in the
        rectangle each frame repaints, are drawn with the frame)."""
        draw = ImageDraw.Draw(image)
        label_font = canvas.font(self.font_size)
        n_layers = len(self.sizes)
        for names, layer, anchor, side, width in ((self.input_names, 0, "rm", -1, self.label_widths[0]),
                                                  (self.output_names, n_layers - 1, "lm", 1, self.label_widths[1])):
            for index, name in enumerate(names):
                x, y = self.positions[layer, index]
                draw.text((x + side * (self.radius + 6 * self.scale), y), canvas.fit_text(name, label_font, width),
                          fill=canvas.TEXT, font=label_font, anchor=anchor)
        bar = self.legend_bar
        y = (bar[1] + bar[3]) / 2
        draw.text((self.box[0] + 12 * self.scale, y), LEGEND_TITLE, fill=canvas.TEXT, font=label_font, anchor="lm")
        image.paste(canvas.colour_bar(bar[2] - bar[0], bar[3] - bar[1],
                                      diverging_rgb(np.linspace(0, 1, bar[2] - bar[0]))), bar[:2])
        draw.rectangle(bar, outline=canvas.FRAME_LINE)
        draw.text((bar[0] - 5 * self.scale, y), "0", fill=canvas.TEXT, font=label_font, anchor="rm")
        draw.text((self.box[0] + 12 * self.scale, bar[3] + 8 * self.scale), LINKS_NOTE, fill=canvas.MUTED_TEXT,
                  font=label_font, anchor="lm")

    # -- a frame -------------------------------------------------------------------------------

    def draw(self, image, network, abs_delta):
        """Links of ``network`` (the frame's weights) and neurons filled by ``abs_delta`` (per
        non-input layer, the mean |dL/dz| of each neuron, from ``Trainer.diagnostics_now``).

        They are painted opaque (links blended with white as the window's translucent ones
        look on white) on a white picture of the neurons' rectangle, twice as large, then
        reduced: far cheaper per frame than compositing a transparent layer."""
        legend_value, scale_value = neuron_scale(list(abs_delta))
        x0, y0, x1, y1 = self.drawing_rect
        big = Image.new("RGB", ((x1 - x0) * FACTOR, (y1 - y0) * FACTOR), canvas.BACKGROUND)
        self._paint(ImageDraw.Draw(big), network, abs_delta, scale_value)
        image.paste(big.reduce(FACTOR), (x0, y0))
        draw, label_font = ImageDraw.Draw(image), canvas.font(self.font_size)
        for position, text in self.more_labels:
            draw.text(position, text, fill=canvas.MUTED_TEXT, font=label_font, anchor="mm")
        for position, text in self.titles:
            draw.text(position, text, fill=canvas.TEXT, font=self.title_font, anchor="md")
        bar = self.legend_bar
        draw.text((bar[2] + 5 * self.scale, (bar[1] + bar[3]) / 2), f"{legend_value:.3g}",
                  fill=canvas.TEXT, font=label_font, anchor="lm")

    def _paint(self, draw, network, abs_delta, scale_value):
        ox, oy = self.drawing_rect[:2]
        largest = largest_weight(network.weights)
        unit = self.radius / RADIUS  # link widths keep the window's proportion to the neurons
        colours = [_over_white(rgb, LINK_ALPHA) for rgb in (NEGATIVE_LINK_RGB, POSITIVE_LINK_RGB)]

        def at(layer, index):
            x, y = self.positions[layer, index]
            return (x - ox) * FACTOR, (y - oy) * FACTOR

        for layer in range(1, len(self.sizes)):
            sources = shown_indices(self.sizes[layer - 1])
            targets = shown_indices(self.sizes[layer])
            pairs = [(i, j) for j in targets for i in sources]
            codes = link_codes(network.weights[layer - 1][tuple(np.array(pairs).T)], largest)
            for (i, j), code in zip(pairs, codes.tolist()):
                positive, step = divmod(code, WIDTH_STEPS + 1)
                width = link_width(step) * unit * FACTOR
                draw.line([at(layer - 1, i), at(layer, j)], fill=colours[positive], width=max(int(round(width)), 1))
        r = self.radius * FACTOR
        rim = max(int(round(1.2 * unit * FACTOR)), 1)
        for layer, n_units in enumerate(self.sizes):
            indices = shown_indices(n_units)
            if layer == 0:
                fills = [INPUT_NEURON_RGB] * len(indices)
            else:
                fills = [tuple(rgb) for rgb in neuron_rgb(abs_delta[layer - 1], indices, scale_value, False).tolist()]
            for index, fill in zip(indices, fills):
                x, y = at(layer, index)
                draw.ellipse((x - r, y - r, x + r, y + r), fill=fill, outline=NEURON_OUTLINE_RGB, width=rim)


def _over_white(rgb, alpha):
    """``rgb`` drawn with opacity ``alpha`` (0..255) on white, as an opaque colour."""
    return tuple(int(round(c * alpha / 255 + 255 * (1 - alpha / 255))) for c in rgb)


def _label_width(names, label_font, limit):
    if not names:
        return 0.0
    return min(max(label_font.getlength(name) for name in names), limit)
