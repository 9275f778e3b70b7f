"""Views redraw in turns: one queued redraw per pass of the event loop."""

from PySide6.QtCore import QObject, QTimer

from bpgui.gui.draw_queue import DrawQueue, draw_queue


class Recorder:
    def __init__(self, name, log):
        self.name, self.log = name, log

    def draw(self):
        self.log.append(self.name)


def test_one_redraw_per_pass_in_request_order_each_queued_once(qtbot):
    queue, log, seen_by_pass = DrawQueue(), [], []
    views = [Recorder(name, log) for name in "abc"]
    for view in views + views[:1]:  # "a" asks twice before its turn: drawn once
        queue.request(view.draw)
    ticker = QTimer()  # a zero timer ticks once per pass, between the queue's turns
    ticker.setInterval(0)
    ticker.timeout.connect(lambda: seen_by_pass.append(len(log)))
    ticker.start()
    qtbot.waitUntil(lambda: len(queue) == 0 and len(seen_by_pass) > 5, timeout=1000)
    ticker.stop()
    assert log == ["a", "b", "c"]
    assert all(later - earlier <= 1 for earlier, later in zip(seen_by_pass, seen_by_pass[1:]))


def test_cancel_forgets_a_waiting_draw_and_the_queue_hangs_off_the_controller(qtbot):
    controller = QObject()
    queue = draw_queue(controller)
    assert draw_queue(controller) is queue
    log = []
    view = Recorder("a", log)
    queue.request(view.draw)
    queue.cancel(view.draw)
    qtbot.wait(20)
    assert log == [] and len(queue) == 0
