"""``create_main_window`` and ``run`` as the ``bpgui`` script uses them."""

import pytest

from bpgui.gui import NO_DISPLAY_MESSAGE, has_display, run


def test_run_without_a_display_says_so_in_one_line(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert not has_display()
    assert run([]) == 2
    err = capsys.readouterr().err
    assert err.strip() == NO_DISPLAY_MESSAGE and "bpgui train --help" in err


def test_window_opens_a_csv_given_on_the_command_line(make_window, tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("x,y,label\n" + "".join(f"{i},{i % 7},{i % 2}\n" for i in range(30)))
    window = make_window([str(path), "--target", "label"])
    assert window.controller.data.target_names == ("label",)
    assert window.controller.source["csv"] == str(path)


def test_bad_arguments_exit_like_the_command_line(make_window):
    with pytest.raises(SystemExit):
        make_window(["--example", "no-such-example"])
