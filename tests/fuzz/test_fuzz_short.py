"""A short fuzzing run of every reader, part of the suite (a few seconds in all); the long runs
are ``tests/fuzz/run.py`` (docs/reliability.md has their figures).

The inputs are derandomized so the suite is the same every time; a failure shows the input
and the traceback, shrunk by hypothesis.
"""

import pytest
from fuzz_targets import TARGETS, run_input
from hypothesis import HealthCheck, given, settings

EXAMPLES = {"csv": 100, "model-json": 100, "model-npz": 100, "session": 60}
"""Inputs per target: about a second each on one core."""


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # a large input's repr
@pytest.mark.parametrize("name", list(TARGETS))
def test_a_short_fuzz_finds_no_crash_and_no_hang(name, tmp_path):
    target = TARGETS[name]
    folder = str(tmp_path)

    @settings(max_examples=EXAMPLES[name], deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(target.inputs())
    def fuzz(case):
        finding = run_input(target, case[0], case[1], folder)
        assert finding is None, f"{finding.kind}: {finding.error} at {finding.where}\n{finding.trace}"

    fuzz()
