"""Driving a Trainer in the engine tests."""


def train(trainer, limit=None):
    """Every epoch report of a run (to its end, or ``limit`` epochs)."""
    return list(trainer.epochs(limit))


def stop_after_batches(monkeypatch, trainer, n_batches):
    """Make the trainer's own optimiser ask for a stop once it has taken ``n_batches`` steps."""
    step, calls = trainer._optimizer.step, []

    def counting_step(params, grads):
        step(params, grads)
        calls.append(1)
        if len(calls) == n_batches:
            trainer.request_stop()

    monkeypatch.setattr(trainer._optimizer, "step", counting_step)
