"""Training speed of bpgui's engine beside scikit-learn and a plain PyTorch CPU loop.

Four networks (``CASES``) are trained with SGD and Adam by all three in one run, taking turns
in ``--rounds`` rounds; in each round each reports its median milliseconds per epoch over
``--repeat`` epochs after a warm-up. The table shows each one's lowest median, and the
speed-ups are the median over the rounds of the ratio within a round (the machine's speed
drifts over minutes; within a round all run at nearly the same time). They are checked
against the targets of ``TARGETS``. The same run also times

- the matrix multiplications alone of one C3 epoch (forward and backward, ``out=`` buffers),
- C1 with per-neuron diagnostics every epoch against none,
- the engine's memory with ``tracemalloc``: the peak during epochs 2..N above what was held
  after epoch 1, at two dataset sizes, which must be a few KB and not grow with the batches.

Usage::

    .venv/bin/python benchmarks/bench_engine.py            # full run, a few minutes
    .venv/bin/python benchmarks/bench_engine.py --quick    # short run
    .venv/bin/python benchmarks/bench_engine.py --cases C1,C3 --repeat 9 --markdown out.md

Needs the optional ``bench`` extra (scikit-learn, torch). bpgui and PyTorch compute in
float32. scikit-learn computes in the dtype of its input, so it runs twice: on float64 arrays,
what it computes in when called on NumPy's default dtype (the dtype of ``load_digits()``,
``np.random`` and ``pd.read_csv``), and on float32 arrays. The speed-up targets are read
against the float64 run, the only reading under which all of them can be reached (C3's
2.5x cannot be against float32: scikit-learn's float32 epoch takes only 1.4x to 1.9x the
float32 matrix products alone here, which every engine has to do); both ratios are printed.

When ``OPENBLAS_CORETYPE`` is set (it pins an older, slower OpenBLAS kernel on some
processors), the whole benchmark runs twice, as set and with it and ``OPENBLAS_L2_SIZE``
unset, in child processes, since OpenBLAS reads them when it loads.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bpgui.engine import Network, TrainConfig, Trainer  # noqa: E402

BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
LEARNING_RATES = {"sgd": 0.01, "adam": 0.001}
OPTIMIZER_NAMES = ("sgd", "adam")


@dataclass(frozen=True)
class Case:
    """One network and its data.

    ``batch_size`` None means full batch. ``task`` and ``loss`` are the engine's words.
    """

    name: str
    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    task: str
    n_samples: int
    batch_size: int | None
    make_data: str  # key of DATA_MAKERS

    def describe(self):
        hidden = self.activations[0]
        shape = "-".join(map(str, self.sizes))
        batch = "full batch" if self.batch_size is None else f"batch {self.batch_size}"
        return f"{shape} {hidden}/{self.activations[-1]}, {self.n_samples} rows, {batch}"

    def batch(self):
        return self.n_samples if self.batch_size is None else self.batch_size


CASES = {
    "C1": Case("C1", (2, 4, 4, 1), ("tanh", "tanh", "sigmoid"), "bce", "classification",
               1000, 10, "quadrants"),
    "C2": Case("C2", (64, 128, 64, 10), ("relu", "relu", "softmax"), "cross_entropy",
               "classification", 1797, 32, "digits"),
    "C3": Case("C3", (784, 512, 512, 10), ("relu", "relu", "softmax"), "cross_entropy",
               "classification", 20000, 256, "random_classes"),
    "C4": Case("C4", (8, 64, 64, 1), ("tanh", "tanh", "linear"), "mse", "regression",
               20000, None, "smooth_regression"),
}

TARGETS = {  # case -> minimum speed-up of the engine over scikit-learn per epoch
    "C1": 8.0, "C2": 4.0, "C3": 2.5, "C4": 3.0,
}
MATMUL_TARGET = 1.3  # C3 engine epoch / its matmuls alone, at most
DIAGNOSTICS_TARGET = 1.10  # C1 with diagnostics="always" / "never", at most


# -- data --------------------------------------------------------------------------------

def quadrants(case, rng):
    """XOR of the signs of two uniform inputs: labels (n,) in {0, 1}."""
    X = rng.uniform(-1.0, 1.0, size=(case.n_samples, 2))
    return X, (X[:, 0] * X[:, 1] > 0).astype(np.int64)


def digits(case, rng):
    """scikit-learn's 8x8 digits, pixels scaled to [0, 1]: labels (1797,) in 0..9."""
    from sklearn.datasets import load_digits
    bunch = load_digits()
    return bunch.data / 16.0, bunch.target.astype(np.int64)


def random_classes(case, rng):
    """Standard-normal inputs with uniformly random labels in 0..n_classes-1."""
    X = rng.standard_normal((case.n_samples, case.sizes[0]))
    return X, rng.integers(0, case.sizes[-1], size=case.n_samples)


def smooth_regression(case, rng):
    """A smooth function of the inputs plus noise: targets (n,)."""
    X = rng.standard_normal((case.n_samples, case.sizes[0]))
    y = np.sin(X[:, 0]) + 0.5 * X[:, 1] * X[:, 2] + 0.1 * rng.standard_normal(case.n_samples)
    return X, y


DATA_MAKERS = {f.__name__: f for f in (quadrants, digits, random_classes, smooth_regression)}


@dataclass(frozen=True)
class Data:
    """float32 inputs ``X`` (n, n_in), the target column or labels ``y`` (n,) and the
    engine's targets ``Y`` (n, n_out): a 0/1 column, one-hot rows or the values."""

    X: np.ndarray
    y: np.ndarray
    Y: np.ndarray


def make_data(case, seed=0):
    X, y = DATA_MAKERS[case.make_data](case, np.random.default_rng(seed))
    n_out = case.sizes[-1]
    if case.task == "regression" or n_out == 1:
        Y = y.reshape(-1, 1)
    else:
        Y = np.eye(n_out)[y]
    X = np.ascontiguousarray(X, np.float32)
    y = y.astype(np.float32) if case.task == "regression" else y
    return Data(X, y, np.ascontiguousarray(Y, np.float32))


# -- the three trainers ------------------------------------------------------------------

class EngineRun:
    """bpgui's Trainer; ``epoch()`` advances its generator by one epoch."""

    label = "bpgui"

    def __init__(self, case, data, optimizer, diagnostics="never"):
        network = Network.create(case.sizes, case.activations, seed=0, dtype="float32")
        config = TrainConfig(optimizer=optimizer, learning_rate=LEARNING_RATES[optimizer],
                             batch_size=case.batch(), max_epochs=10**9, shuffle=True)
        self.trainer = Trainer(network, case.loss, data.X, data.Y, config, task=case.task,
                               diagnostics=diagnostics)
        self._epochs = self.trainer.epochs()

    def epoch(self):
        next(self._epochs)


class SklearnRun:
    """MLPClassifier / MLPRegressor, one ``partial_fit`` (one shuffled epoch) per epoch."""

    label = "scikit-learn"

    dtype = np.float32

    def __init__(self, case, data, optimizer):
        from sklearn.neural_network import MLPClassifier, MLPRegressor
        estimator = MLPClassifier if case.task == "classification" else MLPRegressor
        self.model = estimator(
            hidden_layer_sizes=case.sizes[1:-1], activation=case.activations[0],
            solver=optimizer, alpha=0.0, batch_size=case.batch(),
            learning_rate_init=LEARNING_RATES[optimizer], momentum=0.0,
            nesterovs_momentum=False, shuffle=True, random_state=0, early_stopping=False,
            tol=0.0, n_iter_no_change=10**9,
        )
        self.X = data.X.astype(self.dtype)
        self.y = data.y.astype(self.dtype) if case.task == "regression" else data.y
        self._first_call = {"classes": np.unique(data.y)} if case.task == "classification" else {}

    def epoch(self):
        self.model.partial_fit(self.X, self.y, **self._first_call)
        self._first_call = {}


class SklearnFloat64Run(SklearnRun):
    """The same, given float64 arrays: what scikit-learn computes in on NumPy's default dtype
    (``load_digits()``, ``np.random``, ``pd.read_csv`` all give float64)."""

    label = "scikit-learn float64"
    dtype = np.float64


TORCH_ACTIVATIONS = {"tanh": "Tanh", "relu": "ReLU"}
TORCH_LOSSES = {"bce": "BCEWithLogitsLoss", "cross_entropy": "CrossEntropyLoss",
                "mse": "MSELoss"}


class TorchRun:
    """A plain CPU loop: nn.Sequential, a randperm per epoch, slices of the permuted data.

    The output activation is folded into the loss (BCEWithLogitsLoss, CrossEntropyLoss), as
    PyTorch code usually does it.
    """

    label = "PyTorch"

    def __init__(self, case, data, optimizer):
        import torch
        from torch import nn
        torch.manual_seed(0)
        layers = []
        pairs = list(zip(case.sizes[:-1], case.sizes[1:]))
        for i, (n_in, n_out) in enumerate(pairs):
            layers.append(nn.Linear(n_in, n_out))
            if i < len(pairs) - 1:
                layers.append(getattr(nn, TORCH_ACTIVATIONS[case.activations[i]])())
        self.torch = torch
        self.model = nn.Sequential(*layers)
        self.loss_fn = getattr(nn, TORCH_LOSSES[case.loss])()
        self.X = torch.from_numpy(data.X)
        if case.loss == "cross_entropy":
            self.Y = torch.from_numpy(data.y)
        else:
            self.Y = torch.from_numpy(data.Y)
        cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[optimizer]
        self.optimizer = cls(self.model.parameters(), lr=LEARNING_RATES[optimizer])
        self.batch_size = case.batch()

    def epoch(self):
        order = self.torch.randperm(len(self.X))
        X, Y = self.X[order], self.Y[order]
        model, loss_fn, optimizer = self.model, self.loss_fn, self.optimizer
        for start in range(0, len(X), self.batch_size):
            stop = start + self.batch_size
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(X[start:stop]), Y[start:stop])
            loss.backward()
            optimizer.step()


RUNS = {"bpgui": EngineRun, "scikit-learn": SklearnRun,
        "scikit-learn float64": SklearnFloat64Run, "PyTorch": TorchRun}


def median_ms(run, warmup, repeat):
    """Median wall time of ``run.epoch()`` in ms over ``repeat`` epochs after ``warmup``."""
    for _ in range(warmup):
        run.epoch()
    times = []
    for _ in range(repeat):
        gc.disable()
        start = time.perf_counter()
        run.epoch()
        times.append(time.perf_counter() - start)
        gc.enable()
    return 1000.0 * statistics.median(times)


def rounds_ms(runs, args):
    """Per run, its median ms per epoch in each of ``args.rounds`` rounds (a list).

    In every round each run takes its turn, in the given order in even rounds and in the
    reverse order in odd ones, so that a slow drift of the machine's speed (this one's drifts
    by ±20-50% over minutes) weighs on every run alike; ratios are taken within a round.
    """
    times = {label: [] for label in runs}
    for round_index in range(args.rounds):
        warmup = args.warmup if round_index == 0 else 1
        order = list(runs.items()) if round_index % 2 == 0 else list(runs.items())[::-1]
        for label, run in order:
            times[label].append(median_ms(run, warmup, args.repeat))
    return times


def round_ratios(times, label, reference="bpgui"):
    """Median over the rounds of ``times[label][r] / times[reference][r]``."""
    return statistics.median(a / b for a, b in zip(times[label], times[reference]))


def alternating_ms(first, second, args):
    """Median ms per epoch of two runs timed epoch by epoch in turn (for a close comparison)."""
    for _ in range(args.warmup):
        first.epoch()
        second.epoch()
    times = ([], [])
    for _ in range(args.repeat * args.rounds):
        for run, kept in zip((first, second), times):
            gc.disable()
            start = time.perf_counter()
            run.epoch()
            kept.append(time.perf_counter() - start)
            gc.enable()
    return tuple(1000.0 * statistics.median(kept) for kept in times)


# -- the extra measurements --------------------------------------------------------------

def matmul_run(case, data):
    """A run whose ``epoch()`` does the matrix products of one epoch of ``case`` alone.

    Per batch, as the engine does them: ``a_{l-1} @ W_l`` forward, then per layer from the
    top ``a_{l-1}ᵀ @ delta_l`` and (but for the first layer) ``delta_l @ W_lᵀ``; every
    product writes into a preallocated buffer.
    """
    rng = np.random.default_rng(1)
    sizes, size, n = case.sizes, case.batch(), case.n_samples
    weights = [rng.standard_normal((a, b)).astype(np.float32) * 0.05
               for a, b in zip(sizes[:-1], sizes[1:])]
    grads = [np.empty_like(W) for W in weights]
    acts = [np.empty((size, m), np.float32) for m in sizes[1:]]
    deltas = [rng.standard_normal((size, m)).astype(np.float32) for m in sizes[1:]]
    batches = []
    for start in range(0, n, size):
        rows = min(size, n - start)
        batches.append((data.X[start:start + rows], [a[:rows] for a in acts],
                        [d[:rows] for d in deltas]))

    def epoch():
        for X, a, d in batches:
            inputs = [X] + a[:-1]
            for l, W in enumerate(weights):
                np.matmul(inputs[l], W, out=a[l])
            for l in range(len(weights) - 1, -1, -1):
                np.matmul(inputs[l].T, d[l], out=grads[l])
                if l > 0:
                    np.matmul(d[l], weights[l].T, out=d[l - 1])

    class MatmulRun:
        pass

    run = MatmulRun()
    run.epoch = epoch
    return run


def traced_growth(case, data, optimizer, n_epochs):
    """Bytes: tracemalloc's peak during epochs 2..n_epochs minus what was held after epoch 1."""
    run = EngineRun(case, data, optimizer)
    gc.collect()
    tracemalloc.start()
    try:
        run.epoch()
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        for _ in range(n_epochs - 1):
            run.epoch()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - held


def scaled(case, factor):
    """The same case with ``factor`` times the rows (so ``factor`` times the batches)."""
    from dataclasses import replace
    return replace(case, n_samples=case.n_samples * factor)


def resample(data, factor):
    """The rows of ``data`` repeated ``factor`` times."""
    return Data(np.tile(data.X, (factor, 1)), np.tile(data.y, factor), np.tile(data.Y, (factor, 1)))


# -- the report --------------------------------------------------------------------------

def blas_description():
    from threadpoolctl import threadpool_info
    for info in threadpool_info():
        if info.get("user_api") == "blas" and "numpy" in info.get("filepath", ""):
            return (f"{info['internal_api']} {info['version']}, kernel "
                    f"{info.get('architecture', '?')}, {info['num_threads']} threads")
    return "unknown BLAS"


def numpy_threads():
    from threadpoolctl import threadpool_info
    for info in threadpool_info():
        if info.get("user_api") == "blas" and "numpy" in info.get("filepath", ""):
            return int(info["num_threads"])
    return os.cpu_count() or 1


def machine_description():
    import sklearn
    import torch
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas_env = ", ".join(f"{k}={os.environ[k]}" for k in BLAS_VARIABLES if k in os.environ)
    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, NumPy {np.__version__}, scikit-learn "
        f"{sklearn.__version__}, PyTorch {torch.__version__} ({torch.get_num_threads()} threads)",
        f"- NumPy BLAS: {blas_description()}; {blas_env or 'OPENBLAS_CORETYPE not set'}",
        f"- Load average at start: {os.getloadavg()[0]:.2f} (other processes share the cores)",
    ]


def check(ok):
    return "yes" if ok else "**no**"


def run_cases(args):
    """Time every case and optimiser; return the markdown lines of the results."""
    import torch
    torch.set_num_threads(numpy_threads())
    warnings.filterwarnings("ignore", module="sklearn")
    lines = machine_description()
    print("\n".join(lines), flush=True)
    table = [
        "",
        "| case | network | optimizer | bpgui ms/epoch | scikit-learn float64 ms/epoch "
        "| scikit-learn float32 ms/epoch | PyTorch ms/epoch | sklearn float64 / bpgui (target) "
        "| sklearn float32 / bpgui (target) | PyTorch / bpgui | met (float64 · float32) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    print("\n".join(table), flush=True)
    extras = []
    all_met = True
    for name in args.cases:
        case = CASES[name]
        data = make_data(case)
        times_by_optimizer = {}
        for optimizer in args.optimizers:
            times = rounds_ms({label: RUNS[label](case, data, optimizer)
                               for label in args.frameworks}, args)
            ms = {label: min(values) for label, values in times.items()}
            ratios = {label: round_ratios(times, label) for label in times if label != "bpgui"}
            times_by_optimizer[optimizer] = ms
            row, met = table_row(case, optimizer, ms, ratios)
            all_met &= met
            table.append(row)
            print(row, flush=True)
        if name == "C3":
            extras.extend(matmul_lines(case, data, times_by_optimizer, args))
        if name == "C1":
            extras.extend(diagnostics_lines(case, data, args))
    extras.extend(allocation_lines(args))
    extras.append(f"\nLoad average at the end: {os.getloadavg()[0]:.2f}")
    print("\n".join(extras), flush=True)
    return lines + table + [""] + extras, all_met


SKLEARN_BASELINES = ("scikit-learn float64", "scikit-learn")  # the targets' reading first


def table_row(case, optimizer, ms, ratios):
    """One markdown row of times (lowest median per framework) and speed-ups (``ratios``:
    label -> median over the rounds of that round's time over the engine's), and whether it
    meets its targets.

    The speed-up target over scikit-learn is checked against each of its two dtypes; the row
    is met when it holds against scikit-learn on float64 (its default, see README) and the
    engine beats PyTorch. The cell "met" reads "float64 target · float32 target".
    """
    engine, target = ms["bpgui"], TARGETS[case.name]
    cells = [case.name, case.describe(), optimizer, f"{engine:.2f}"]
    cells += [f"{ms[label]:.2f}" if label in ms else "-" for label in (*SKLEARN_BASELINES, "PyTorch")]
    against = []
    for label in SKLEARN_BASELINES:
        ratio = ratios.get(label)
        cells.append("-" if ratio is None else f"{ratio:.2f}x (≥ {target:g})")
        against.append(ratio is None or ratio >= target)
    torch_ratio = ratios.get("PyTorch")
    cells.append("-" if torch_ratio is None else f"{torch_ratio:.2f}x (> 1)")
    beats_torch = torch_ratio is None or torch_ratio > 1
    cells.append(" · ".join(check(ok and beats_torch) for ok in against))
    return "| " + " | ".join(cells) + " |", against[0] and beats_torch


def matmul_lines(case, data, times_by_optimizer, args):
    """The engine's epoch against its matrix products alone (taking turns with them in
    rounds, ratios within a round), and what the products bound."""
    runs = {"matmul": matmul_run(case, data)}
    runs.update({optimizer: EngineRun(case, data, optimizer) for optimizer in times_by_optimizer})
    times = rounds_ms(runs, args)
    matmul = min(times["matmul"])
    lines = ["", f"C3 matrix multiplications alone (8 per batch, out= buffers): {matmul:.2f} ms/epoch "
                 "(lowest median; the engine's epochs taking turns with them)"]
    for optimizer, ms in times_by_optimizer.items():
        ratio = round_ratios(times, optimizer, reference="matmul")
        lines.append(f"- bpgui {optimizer}: {min(times[optimizer]):.2f} ms/epoch = {ratio:.2f}x the matmuls "
                     f"(target ≤ {MATMUL_TARGET}): met {check(ratio <= MATMUL_TARGET)}")
        if "scikit-learn" in ms:
            lines.append(f"  - scikit-learn float32 {optimizer} / matmuls alone = "
                         f"{ms['scikit-learn'] / matmul:.2f}x (lowest medians): no engine that does "
                         f"these float32 products can beat scikit-learn on float32 by more than that")
    return lines


def diagnostics_lines(case, data, args):
    lines = ["", "C1 with per-neuron diagnostics every epoch (diagnostics=\"always\" vs \"never\"):"]
    for optimizer in args.optimizers:
        never, always = alternating_ms(EngineRun(case, data, optimizer, "never"),
                                       EngineRun(case, data, optimizer, "always"), args)
        ratio = always / never
        lines.append(f"- {optimizer}: {always:.2f} vs {never:.2f} ms/epoch = {ratio:.3f}x "
                     f"(target ≤ {DIAGNOSTICS_TARGET}): met {check(ratio <= DIAGNOSTICS_TARGET)}")
    return lines


def allocation_lines(args):
    lines = ["", "Memory in the hot loop (tracemalloc: peak during epochs 2..N minus what was "
             "held after epoch 1; the same case at 1x and 4x the rows, i.e. 4x the batches):",
             "", "| case | optimizer | batches/epoch 1x | growth 1x | batches/epoch 4x | growth 4x |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    n_epochs = 3 if args.quick else 4
    for name in args.cases:
        case = CASES[name]
        data = make_data(case)
        for optimizer in args.optimizers:
            cells = [name, optimizer]
            for factor in (1, 4):
                big = scaled(case, factor)
                growth = traced_growth(big, resample(data, factor), optimizer, n_epochs)
                batches = -(-big.n_samples // big.batch())
                cells += [str(batches), f"{growth / 1024:.1f} KB"]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


# -- main --------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs: a short run")
    parser.add_argument("--cases", default=",".join(CASES),
                        help="comma-separated subset of " + ",".join(CASES))
    parser.add_argument("--optimizers", default=",".join(OPTIMIZER_NAMES))
    parser.add_argument("--frameworks", default=",".join(RUNS),
                        help="comma-separated subset of " + ",".join(RUNS))
    parser.add_argument("--repeat", type=int, default=None,
                        help="timed epochs per measurement (median; default 7, 3 with --quick)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="rounds in which the frameworks take turns; speed-ups are the median "
                             "of the rounds' ratios (default 5, 1 with --quick)")
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed epochs first (default 2, 1 with --quick)")
    parser.add_argument("--markdown", type=Path, help="also write the results to this file")
    parser.add_argument("--no-blas-switch", action="store_true",
                        help="do not rerun with OPENBLAS_CORETYPE unset (used by the children)")
    args = parser.parse_args(argv)
    args.cases = [c.strip().upper() for c in args.cases.split(",") if c.strip()]
    args.optimizers = [o.strip() for o in args.optimizers.split(",") if o.strip()]
    args.frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    unknown = ([c for c in args.cases if c not in CASES]
               + [o for o in args.optimizers if o not in OPTIMIZER_NAMES]
               + [f for f in args.frameworks if f not in RUNS])
    if unknown:
        parser.error(f"unknown case, optimizer or framework: {', '.join(unknown)}")
    if "bpgui" not in args.frameworks:
        args.frameworks.insert(0, "bpgui")
    args.repeat = args.repeat or (3 if args.quick else 7)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    args.rounds = args.rounds or (1 if args.quick else 5)
    return args


def run_both_blas_settings(argv):
    """Rerun this script as set and with the OpenBLAS variables unset; join the outputs."""
    sections, all_met = [], True
    settings = [("as set", dict(os.environ)),
                ("unset", {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES})]
    for title, env in settings:
        print(f"\n## OpenBLAS variables {title}\n", flush=True)
        child = subprocess.run([sys.executable, __file__, *argv, "--no-blas-switch"], env=env,
                               capture_output=True, text=True, check=False)
        print(child.stdout, child.stderr, flush=True)
        sections.append(f"### OpenBLAS variables {title}\n\n{child.stdout}")
        all_met &= child.returncode == 0
    return "\n".join(sections), all_met


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    command = "python benchmarks/bench_engine.py " + " ".join(argv)
    if "OPENBLAS_CORETYPE" in os.environ and not args.no_blas_switch:
        child_argv = [a for a in argv]
        if args.markdown:
            i = child_argv.index("--markdown")
            del child_argv[i:i + 2]
        body, ok = run_both_blas_settings(child_argv)
    else:
        lines, ok = run_cases(args)
        body = "\n".join(lines)
    if args.markdown:
        args.markdown.write_text(f"Run: `{command.strip()}`\n\n{body}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
