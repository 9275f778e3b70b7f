"""The step-through inspector's stages as text: formulas with the numbers filled in (no Qt).

Every value shown comes from one :class:`bpgui.engine.SampleTrace` (and the network it was
traced on); this module only formats them. A stage is one click of the inspector's Next button:

``input`` → ``forward`` (one per layer, first to last) → ``loss`` → ``delta`` (one per layer,
last to first, by the chain rule) → ``gradient`` (per layer, last to first) → ``update`` (per
layer, last to first).

Notation (layers counted as drawn, the input layer is 0; neurons and inputs from 1)::

    z(l,j) = Σ_i a(l-1,i)·w(l;i→j) + b(l,j)     a(l,j) = f(z(l,j))
    δ(l,j) = dL/dz(l,j)                          dL/dw(l;i→j) = a(l-1,i)·δ(l,j)
    Δw(l;i→j) = −η·dL/dw(l;i→j)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from bpgui.engine import apply_trace
from bpgui.engine.losses import get_loss

DECIMALS = 9
MAX_TERMS = 8  # a sum with more terms is shown with its first MAX_TERMS and a count of the rest


@dataclass(frozen=True)
class Row:
    """One line of a stage: what it is, how it is computed (numbers filled in), its value."""

    quantity: str
    formula: str
    value: float


@dataclass(frozen=True)
class Stage:
    """One click of the inspector.

    ``layer`` counts layers as drawn (input = 0); ``key`` is one of ``input``, ``forward``,
    ``loss``, ``delta``, ``gradient``, ``update`` and is what the network view highlights.
    ``rows`` are formatted on first use (``make_rows()``): a 16-16 network's stages hold
    about 1,500 lines, and the inspector shows one stage at a time.
    """

    key: str
    layer: int
    title: str
    rule: str
    make_rows: object = field(repr=False, compare=False)  # () -> tuple of Row

    @functools.cached_property
    def rows(self):
        """The stage's lines, tuple of :class:`Row` (formatted once, on first use)."""
        return tuple(self.make_rows())

    @property
    def highlight(self):
        """The payload of ``controller.highlightRequested`` for this stage."""
        return {"layer": self.layer, "stage": self.key}


def fmt(value):
    """A number with DECIMALS decimals; never ``-0.000000000``."""
    return f"{float(value) + 0.0:.{DECIMALS}f}"


def term(value):
    """A number as a factor in a product: negative numbers in parentheses."""
    text = fmt(value)
    return f"({text})" if text.startswith("-") else text


def join_sum(terms):
    """``t1 + t2 + …``, cut after MAX_TERMS terms with the number of the rest."""
    terms = list(terms)
    if len(terms) > MAX_TERMS:
        rest = len(terms) - MAX_TERMS
        terms = terms[:MAX_TERMS] + [f"… ({rest} more terms)"]
    return " + ".join(terms)


# f'(z) written from the layer's output a (and z where the sign decides), as the engine does.
DERIVATIVE_TEXT = {
    "sigmoid": ("a·(1 − a)", lambda a, z: f"{term(a)}·(1 − {term(a)})"),
    "tanh": ("1 − a²", lambda a, z: f"(1 − {term(a)}²)"),
    "relu": ("1 if z > 0 else 0", lambda a, z: "1" if a > 0 else "0"),
    "leaky_relu": ("1 if z > 0 else 0.01", lambda a, z: "1" if a > 0 else "0.01"),
    "elu": ("1 if z > 0 else a + 1", lambda a, z: "1" if a > 0 else f"({term(a)} + 1)"),
    "linear": ("1", lambda a, z: "1"),
}

ACTIVATION_TEXT = {
    "sigmoid": lambda z: f"1 / (1 + e^−{term(z)})",
    "tanh": lambda z: f"tanh({fmt(z)})",
    "relu": lambda z: f"max(0, {fmt(z)})",
    "leaky_relu": lambda z: f"max(0.01·{term(z)}, {fmt(z)})",
    "elu": lambda z: f"{fmt(z)} if z > 0 else e^{term(z)} − 1",
    "linear": lambda z: fmt(z),
}

# dL/dŷ_k for one sample, K outputs: (rule, formula(y_hat, y, K))
LOSS_GRADIENT_TEXT = {
    "half_sse": ("(ŷ − y)", lambda p, y, k: f"({fmt(p)} − {fmt(y)})"),
    "mse": ("2/K·(ŷ − y)", lambda p, y, k: f"2/{k}·({fmt(p)} − {fmt(y)})"),
}

LOSS_TEXT = {
    "half_sse": ("L = ½·Σ_k (y_k − ŷ_k)²",
                 lambda P, Y: "½·[" + join_sum(f"({fmt(y)} − {fmt(p)})²" for p, y in zip(P, Y)) + "]"),
    "mse": ("L = 1/K·Σ_k (y_k − ŷ_k)²",
            lambda P, Y: f"1/{len(P)}·[" + join_sum(f"({fmt(y)} − {fmt(p)})²" for p, y in zip(P, Y)) + "]"),
    "bce": ("L = −Σ_k [y_k·ln ŷ_k + (1 − y_k)·ln(1 − ŷ_k)]",
            lambda P, Y: "−[" + join_sum(
                f"{term(y)}·ln {fmt(p)} + (1 − {term(y)})·ln(1 − {fmt(p)})" for p, y in zip(P, Y)) + "]"),
    "cross_entropy": ("L = −Σ_k y_k·ln ŷ_k",
                      lambda P, Y: "−[" + join_sum(f"{term(y)}·ln {fmt(p)}" for p, y in zip(P, Y)) + "]"),
}


def training_differences(config, n_train_rows):
    """What a training step does beyond the inspector's plain one-sample gradient step, as a
    sentence for the update stages ('' when a training step is exactly that step).

    Parameters
    ----------
    config : TrainConfig
    n_train_rows : int
        Rows in the training split (a batch holds at most that many).
    """
    differences = []
    if config.optimizer != "sgd":
        differences.append(f"the {config.optimizer} optimiser")
    batch = min(int(config.batch_size), n_train_rows)
    if batch > 1:
        differences.append(f"gradients averaged over batches of {batch} rows")
    differences += [f"{name} {value:g}" for name, value in
                    (("L1", config.l1), ("L2", config.l2), ("dropout", config.dropout)) if value]
    if not differences:
        return ""
    return ("This is the plain gradient step for this one sample; training itself uses "
            + ", ".join(differences) + ".")


def build_stages(network, trace, train_biases=True, training_note=""):
    """Return every stage of one traced step, in the order the Next button walks them.

    Parameters
    ----------
    network : Network
        The network ``trace`` was computed on (its weights before the step).
    trace : SampleTrace
        From :func:`bpgui.engine.trace_sample`.
    train_biases : bool
        Whether the step updates the biases (their rows say "frozen" otherwise).
    training_note : str
        Added to the update stages' rule (see :func:`training_differences`).

    Returns
    -------
    list of Stage
    """
    n_layers = len(trace.layers)
    network = network.copy()  # rows are formatted later: keep the weights as traced
    after = functools.cache(lambda: updated_network(network, trace))
    stages = [input_stage(trace)]
    stages += [forward_stage(network, trace, l) for l in range(1, n_layers + 1)]
    stages.append(loss_stage(trace))
    stages += [delta_stage(network, trace, l) for l in range(n_layers, 0, -1)]
    stages += [gradient_stage(trace, l, train_biases) for l in range(n_layers, 0, -1)]
    stages += [update_stage(network, after, trace, l, train_biases, training_note)
               for l in range(n_layers, 0, -1)]
    return stages


def updated_network(network, trace):
    """A copy of ``network`` with the traced step applied (by the engine's apply_trace)."""
    after = network.copy()
    apply_trace(after, trace)
    return after


def input_stage(trace):
    def rows():
        inputs = [Row(f"a(0,{i + 1}) = x{i + 1}", "network input (after scaling)", x)
                  for i, x in enumerate(trace.x)]
        return inputs + [Row(f"y{k + 1}", "target", y) for k, y in enumerate(trace.y)]
    return Stage("input", 0, "Input: the sample and its target", "a(0,i) = x_i", rows)


def forward_stage(network, trace, l):
    layer = trace.layers[l - 1]
    rule = f"z(l,j) = Σ_i a(l−1,i)·w(l;i→j) + b(l,j);  a(l,j) = {layer.activation_name}(z(l,j))"
    return Stage("forward", l, f"Forward: layer {l} ({layer.activation_name})", rule,
                 functools.partial(forward_rows, network, trace, l))


def forward_rows(network, trace, l):
    layer = trace.layers[l - 1]
    W, b = network.weights[l - 1], network.biases[l - 1]
    rows = []
    for j in range(len(layer.net_input)):
        products = [f"{term(a)}·{term(W[i, j])}" for i, a in enumerate(layer.inputs)]
        rows.append(Row(f"z({l},{j + 1})", join_sum(products + [term(b[j])]), layer.net_input[j]))
    for j in range(len(layer.activation)):
        rows.append(Row(f"a({l},{j + 1})", activation_formula(layer, j), layer.activation[j]))
    return rows


def activation_formula(layer, j):
    z = layer.net_input
    if layer.activation_name == "softmax":
        denominator = join_sum(f"e^{term(v)}" for v in z)
        return f"e^{term(z[j])} / ({denominator})"
    return ACTIVATION_TEXT[layer.activation_name](z[j])


def loss_stage(trace):
    rule, formula = LOSS_TEXT[trace.loss_name]

    def rows():
        return [Row(f"L ({trace.loss_name})", formula(trace.output, trace.y), trace.loss)]
    return Stage("loss", len(trace.layers), "Loss of the output against the target", rule, rows)


def delta_stage(network, trace, l):
    if l == len(trace.layers):
        return output_delta_stage(trace)
    derivative_rule, _ = DERIVATIVE_TEXT[trace.layers[l - 1].activation_name]
    rule = f"δ(l,j) = (Σ_k w(l+1;j→k)·δ(l+1,k)) · f'(z(l,j)),  f' = {derivative_rule}"
    return Stage("delta", l, f"Backward: deltas of layer {l} by the chain rule", rule,
                 functools.partial(delta_rows, network, trace, l))


def delta_rows(network, trace, l):
    layer, following = trace.layers[l - 1], trace.layers[l]
    W_next = network.weights[l]
    _, derivative = DERIVATIVE_TEXT[layer.activation_name]
    rows = []
    for j, (a, z) in enumerate(zip(layer.activation, layer.net_input)):
        back = join_sum(f"{term(W_next[j, k])}·{term(d)}" for k, d in enumerate(following.delta))
        rows.append(Row(f"δ({l},{j + 1})", f"({back}) · {derivative(a, z)}", layer.delta[j]))
    return rows


def output_delta_stage(trace):
    l = len(trace.layers)
    layer = trace.layers[-1]
    if get_loss(trace.loss_name).paired_activation == layer.activation_name:
        rule = f"δ(L,k) = ŷ_k − y_k  ({layer.activation_name} with {trace.loss_name})"
    else:
        gradient_rule, _ = LOSS_GRADIENT_TEXT[trace.loss_name]
        derivative_rule, _ = DERIVATIVE_TEXT[layer.activation_name]
        rule = f"δ(L,k) = dL/dŷ_k · f'(z(L,k)) = {gradient_rule} · {derivative_rule}"
    return Stage("delta", l, f"Backward: deltas of the output layer {l}", rule,
                 functools.partial(output_delta_rows, trace))


def output_delta_rows(trace):
    l = len(trace.layers)
    layer = trace.layers[-1]
    if get_loss(trace.loss_name).paired_activation == layer.activation_name:
        return [Row(f"δ({l},{k + 1})", f"{fmt(p)} − {fmt(y)}", layer.delta[k])
                for k, (p, y) in enumerate(zip(layer.activation, trace.y))]
    _, gradient = LOSS_GRADIENT_TEXT[trace.loss_name]
    _, derivative = DERIVATIVE_TEXT[layer.activation_name]
    n_out = len(layer.activation)
    return [Row(f"δ({l},{k + 1})", f"{gradient(p, y, n_out)} · {derivative(p, z)}", layer.delta[k])
            for k, (p, y, z) in enumerate(zip(layer.activation, trace.y, layer.net_input))]


def gradient_stage(trace, l, train_biases):
    rule = "dL/dw(l;i→j) = a(l−1,i)·δ(l,j);  dL/db(l,j) = δ(l,j)"
    return Stage("gradient", l, f"Gradients of layer {l}", rule,
                 functools.partial(gradient_rows, trace, l, train_biases))


def gradient_rows(trace, l, train_biases):
    layer = trace.layers[l - 1]
    rows = []
    for i, a in enumerate(layer.inputs):
        for j, d in enumerate(layer.delta):
            rows.append(Row(f"dL/dw({l};{i + 1}→{j + 1})", f"{term(a)}·{term(d)}", layer.grad_weights[i, j]))
    for j, d in enumerate(layer.delta):
        formula = f"δ({l},{j + 1}) = {fmt(d)}" if train_biases else "0 (biases frozen)"
        rows.append(Row(f"dL/db({l},{j + 1})", formula, layer.grad_biases[j]))
    return rows


def update_stage(network, after, trace, l, train_biases, training_note=""):
    """``after``: a callable returning the network with the step applied (made once, on
    the first update stage shown)."""
    rule = f"Δw = −η·dL/dw with η = {trace.learning_rate:g};  w_new = w + Δw"
    if training_note:
        rule += "\n" + training_note
    return Stage("update", l, f"Updates of layer {l}", rule,
                 functools.partial(update_rows, network, after, trace, l, train_biases))


def update_rows(network, after, trace, l, train_biases):
    layer = trace.layers[l - 1]
    eta = trace.learning_rate
    W, W_new = network.weights[l - 1], after().weights[l - 1]
    b, b_new = network.biases[l - 1], after().biases[l - 1]
    rows = []
    for i in range(W.shape[0]):
        for j in range(W.shape[1]):
            name = f"w({l};{i + 1}→{j + 1})"
            update = layer.update_weights[i, j]
            rows.append(Row(f"Δ{name}", f"−{fmt(eta)}·{term(layer.grad_weights[i, j])}", update))
            rows.append(Row(f"{name} new", f"{fmt(W[i, j])} + {term(update)}", W_new[i, j]))
    for j in range(len(b)):
        name = f"b({l},{j + 1})"
        update = layer.update_biases[j]
        formula = f"−{fmt(eta)}·{term(layer.grad_biases[j])}" if train_biases else "0 (biases frozen)"
        rows.append(Row(f"Δ{name}", formula, update))
        rows.append(Row(f"{name} new", f"{fmt(b[j])} + {term(update)}", b_new[j]))
    return rows
