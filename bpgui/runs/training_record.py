"""What a finished run leaves behind: the model file's ``training`` object and the model.

``bpgui train``, a sweep's best run and the window's export all describe a run with
:func:`training_record`, so a model file says the same whichever way it was made;
:func:`model_of_record` makes a kept run's model (``bpgui sweep --best``) without training
it again.
"""

from __future__ import annotations

import math

from bpgui.engine.schedules import resolve
from bpgui.runs.settings import DATA_FIELDS


def final_metric(report):
    """The run's metric: validation whenever there is a validation split (None where it does
    not exist, as R² of one row), training otherwise."""
    return report.train_metric if report.val_loss is None else report.val_metric


def finite_or_none(value):
    """``value`` as a float, or None when it is missing, NaN or infinite."""
    return None if value is None or not math.isfinite(value) else float(value)


def final_values(report):
    """``training.final`` of a model file from a run's last report (None: nothing trained)."""
    if report is None:
        return {"train_loss": None, "val_loss": None, "metric": None}
    return {"train_loss": finite_or_none(report.train_loss),
            "val_loss": finite_or_none(report.val_loss),
            "metric": finite_or_none(final_metric(report))}


def training_record(settings, network, epochs_run, last_report):
    """The model file's ``training`` object.

    Parameters
    ----------
    settings : RunSettings
        Written as ``hyperparameters`` (the command line's words), with the network's actual
        shape, activations and dtype (initial layers from a file may have set them) and the
        learning-rate schedule's parameters as used (its defaults filled in).
    network : Network
    epochs_run : int
    last_report : EpochReport or None

    Returns
    -------
    dict
        ``{"epochs_run", "seed", "hyperparameters", "final"}``.
    """
    hyperparameters = settings.to_dict()
    hyperparameters.update(resolve(settings.schedule, settings.lr, step_size=settings.step_size,
                                   gamma=settings.gamma, min_lr=settings.min_lr, cycle=settings.cycle))
    hidden_activations = list(network.activations[:-1])
    hyperparameters.update({
        "hidden": list(network.sizes[1:-1]),
        "activation": hidden_activations[0] if hidden_activations else settings.activation,
        "activations": hidden_activations if len(set(hidden_activations)) > 1 else None,
        "output_activation": network.output_activation,
        "dtype": str(network.dtype),
    })
    return {"epochs_run": int(epochs_run), "seed": int(settings.seed),
            "hyperparameters": hyperparameters, "final": final_values(last_report)}


def model_of(run, last_report):
    """A :class:`bpgui.io.model.Model` of a trained :class:`~bpgui.runs.build.Run`."""
    from bpgui.io.model import Model

    record = training_record(run.settings, run.network, run.trainer.epoch, last_report)
    return Model(run.network, run.loss, run.data.task, run.data.preprocessor, record)


def model_of_record(run, record):
    """The model of a kept run: ``run`` (built afresh from ``record.settings`` on the same
    data, untrained) set to the record's final weights, described by its final numbers. It is
    the model ``bpgui train`` writes after training those settings.

    Parameters
    ----------
    run : bpgui.runs.build.Run
    record : bpgui.runs.run_record.RunRecord
        A finished run with its weights.

    Raises
    ------
    ValueError
        The record has no weights, or they do not fit ``run``'s network.
    """
    from bpgui.io.model import Model

    network = run.network
    if not record.fits(network.sizes, network.activations):
        raise ValueError(f"{record.label}: its weights do not fit the network {network.describe()}")
    network.params[...] = record.params
    training = training_record(run.settings, network, record.epochs_run, last_report_of(record))
    return Model(network, run.loss, run.data.task, run.data.preprocessor, training)


def last_report_of(record):
    """A kept run's last epoch as an :class:`~bpgui.engine.EpochReport` (what
    :func:`final_values` reads), from its history."""
    from bpgui.engine import EpochReport

    return EpochReport(epoch=record.epochs_run, train_loss=record.final("train_loss"),
                       val_loss=record.final("val_loss"), train_metric=record.final("train_metric"),
                       val_metric=record.final("val_metric"), metric_name=record.metric_name,
                       seconds=record.seconds)


def kept_run_training(record, network, data_settings):
    """The ``training`` object of a kept run's final weights held by ``network``: the run's
    epochs, final numbers and settings, with the data choices of ``data_settings`` (a
    :class:`RunSettings` of the data the model file's inputs describe).

    Parameters
    ----------
    record : bpgui.runs.run_record.RunRecord
    network : Network
        Holding ``record.params``.
    data_settings : RunSettings
    """
    settings = record.settings.replace(**{name: getattr(data_settings, name) for name in DATA_FIELDS})
    return training_record(settings, network, record.epochs_run, last_report_of(record))
