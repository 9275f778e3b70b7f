"""One frame of an animation: what the run looked like after an epoch, as a Pillow image.

Layout (an 800 x 450 frame; larger sizes scale it): a title line on top with the epoch in its
right corner; on the left the output map with the training points (data of two numeric
features) or else the network drawing coloured by gradient; on the right the loss curve up to
the frame's epoch. Everything that never changes within an animation (axes, ticks, names, the
points) is drawn once into a background that each frame copies.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from bpgui.animation import canvas
from bpgui.animation.loss_panel import LossPanel
from bpgui.animation.network_panel import NetworkPanel, output_names
from bpgui.animation.plane_panel import PlanePanel
from bpgui.engine import Network
from bpgui.visual.output_map import plane_axes

BASE_SIZE = (800, 450)
HEADER = 34  # pixels at scale 1


class FrameRenderer:
    """Draws the frames of a recorded run.

    Parameters
    ----------
    run : bpgui.runs.Run
        The run, trained (its trainer computes the gradients the network drawing shows; its
        weights are left as they were).
    reports : list of EpochReport
        The run's history.
    size : (int, int)
        Width and height of a frame in pixels.
    title : str
        The line on top (data and network, say).
    """

    def __init__(self, run, reports, size, title):
        width, height = self.size = tuple(int(v) for v in size)
        self.scale = scale = min(width / BASE_SIZE[0], height / BASE_SIZE[1])
        self.run, self.title = run, title
        self.last = reports[-1]
        network = run.network
        self.network = Network(network.sizes, network.activations, network.dtype)  # the frame's weights
        header = int(HEADER * scale)
        axes = plane_axes(run.data.preprocessor.columns)  # two numeric features (derived ones aside)
        self.shows_plane = axes is not None
        split = int(width * (0.52 if self.shows_plane else 0.56))
        if self.shows_plane:
            self.left = PlanePanel((0, header, split, height), scale, run.data, axes)
        else:
            self.left = NetworkPanel((0, header, split, height), scale, network.sizes,
                                     list(run.data.input_names), output_names(run.data, network.n_outputs))
        self.losses = LossPanel((split, header, width, height), scale, reports)
        self.smooth_box = self.left.rect if self.shows_plane else None  # smooth gradients: the map
        self.corner_font = canvas.font(17 * scale)
        self.background = self._background()

    def _background(self):
        image = Image.new("RGB", self.size, canvas.BACKGROUND)
        self.left.draw_static(image)
        self.losses.draw_static(image)
        title_font = canvas.font(13 * self.scale)
        room = self.size[0] - 24 * self.scale - self.corner_font.getlength(self.corner_text(self.last.epoch))
        ImageDraw.Draw(image).text((12 * self.scale, HEADER * self.scale / 2),
                                   canvas.fit_text(self.title, title_font, room), fill=canvas.TEXT,
                                   font=title_font, anchor="lm")
        return image

    def corner_text(self, epoch):
        """``epoch 750 / 1500``; the last frame of a run stopped early says whose weights it shows."""
        text = f"epoch {epoch} / {self.last.epoch}"
        if epoch == self.last.epoch and self.last.stop_reason == "early_stopping":
            text += f" (best: {self.last.best_epoch})"
        return text

    def render(self, frame):
        """The picture of ``frame`` (a :class:`bpgui.animation.frames.Frame`): RGB image."""
        image = self.background.copy()
        self.network.params[...] = frame.params
        if self.shows_plane:
            self.left.draw(image, self.network)
        else:
            self.left.draw(image, self.network, self.abs_delta(frame.params))
        self.losses.draw(image, frame.epoch)
        ImageDraw.Draw(image).text((self.size[0] - 12 * self.scale, HEADER * self.scale / 2),
                                   self.corner_text(frame.epoch), fill=canvas.TEXT, font=self.corner_font,
                                   anchor="rm")
        return image

    def abs_delta(self, params):
        """Each non-input layer's mean |dL/dz| per neuron at weights ``params``, as the window
        shows them: ``Trainer.diagnostics_now`` on the trainer's probe rows."""
        network, trainer = self.run.network, self.run.trainer
        kept = network.params.copy()
        network.params[...] = params
        try:
            return trainer.diagnostics_now()["neuron_abs_delta"]
        finally:
            network.params[...] = kept
