"""The frame pacer: frames slow down while drawing costs the trainer more than its budget."""

import threading
import time

import pytest

from bpgui.gui.pacing import (COST_BUDGET, FRAME_MS, MAX_FRAME_MS, SLOWER, FramePacer, read_cpu_clock,
                              thread_cpu_clock)


def frames(pacer, n, gui_share, wait, full_speed=True, seconds=0.1, worker_clock=True):
    """Feed ``n`` frames of ``seconds`` each in which the GUI thread used ``gui_share`` of the
    time and the worker waited ``wait`` of it; return the intervals."""
    intervals = []
    for _ in range(n):
        wall = pacer._wall + seconds
        gui = pacer._gui_cpu + gui_share * seconds
        worker = (pacer._worker_cpu or 0.0) + (1.0 - wait) * seconds if worker_clock else None
        intervals.append(pacer.next_interval(wall, gui, worker, full_speed))
    return intervals


def started(worker_cpu=0.0):
    pacer = FramePacer()
    pacer.start(wall=0.0, gui_cpu=0.0, worker_cpu=worker_cpu)
    return pacer


def test_cheap_frames_come_at_the_full_rate():
    assert frames(started(), 20, gui_share=0.01, wait=0.01) == [FRAME_MS] * 20


def test_costly_frames_slow_down_to_the_slowest_pace_and_recover():
    pacer = started()
    slowing = frames(pacer, 30, gui_share=0.2, wait=0.1)
    assert slowing[0] == round(FRAME_MS * SLOWER) and slowing == sorted(slowing)
    assert slowing[-1] == MAX_FRAME_MS
    recovering = frames(pacer, 40, gui_share=0.0, wait=0.0)
    assert recovering == sorted(recovering, reverse=True) and recovering[-1] == FRAME_MS


def test_both_costs_count_and_each_alone_can_slow_the_frames():
    half = COST_BUDGET * 0.6
    assert frames(started(), 10, gui_share=half, wait=half)[-1] > FRAME_MS
    assert frames(started(), 10, gui_share=2 * COST_BUDGET, wait=0.0)[-1] > FRAME_MS
    assert frames(started(), 10, gui_share=0.0, wait=2 * COST_BUDGET)[-1] > FRAME_MS


def test_without_a_worker_clock_the_gui_share_alone_is_budgeted():
    assert frames(started(None), 10, gui_share=0.01, wait=0.9, worker_clock=False)[-1] == FRAME_MS
    assert frames(started(None), 10, gui_share=0.5, wait=0.0, worker_clock=False)[-1] > FRAME_MS


def test_a_slowed_trainer_gets_every_frame_and_the_learned_pace_is_kept():
    pacer = started()
    learned = frames(pacer, 8, gui_share=0.3, wait=0.1)[-1]
    assert frames(pacer, 5, gui_share=0.3, wait=0.9, full_speed=False) == [FRAME_MS] * 5
    assert pacer.interval == learned
    pacer.start(wall=pacer._wall, gui_cpu=pacer._gui_cpu, worker_cpu=None)  # a new run
    assert pacer.interval == learned


def test_a_threads_cpu_clock_counts_its_own_work_only():
    clock, spun, done = {}, threading.Event(), threading.Event()

    def busy():
        clock["id"] = thread_cpu_clock()
        end = time.thread_time() + 0.2  # 0.2 s of this thread's own CPU, however loaded the machine
        while time.thread_time() < end:
            pass
        spun.set()
        done.wait(30)

    thread = threading.Thread(target=busy)
    thread.start()
    assert spun.wait(30)  # the thread has spun for 0.2 s of CPU and now waits
    if clock["id"] is None:
        done.set()
        thread.join()
        pytest.skip("this platform cannot read another thread's CPU clock")
    spent = read_cpu_clock(clock["id"])
    time.sleep(0.1)
    waiting = read_cpu_clock(clock["id"]) - spent
    done.set()
    thread.join()
    assert 0.19 < spent < 0.3 and waiting < 0.02
    assert read_cpu_clock(None) is None


def test_the_window_paces_on_the_running_worker(qtbot, window):
    controller = window.controller
    controller.set_config(controller.config.replace(max_epochs=10**6))
    controller.start()
    qtbot.waitUntil(lambda: controller.trainer.epoch > 20, timeout=10000)
    worker = controller.run_thread._worker
    assert worker.cpu_clock is None or read_cpu_clock(worker.cpu_clock) > 0
    qtbot.waitUntil(lambda: controller.run_thread._pacer.cost > 0, timeout=10000)
    assert FRAME_MS <= controller.run_thread._frame_timer.interval() <= MAX_FRAME_MS
    controller.stop_and_wait()
