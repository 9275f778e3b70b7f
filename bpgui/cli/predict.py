"""``bpgui predict``: a model's predictions for every row of a CSV."""

from __future__ import annotations

import sys

from bpgui.arguments import EXIT_OK, add_csv_arguments, csv_options


def add_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a .json or .npz model file")
    parser.add_argument("data", metavar="DATA.csv")
    parser.add_argument("--out", metavar="PRED.csv", help="write here instead of stdout")
    add_csv_arguments(parser, default_na="the model's list")


def run(args):
    from bpgui.data import read_csv
    from bpgui.io.model import load_model
    from bpgui.io.predictions import predictions_csv_text, write_predictions

    model = load_model(args.model)
    table = read_csv(args.data, csv_options(args, tuple(model.preprocessor.na_values)))
    result = model.predict(table)
    if args.out:
        write_predictions(result, args.out)
        print(f"wrote {result.n_rows} predictions to {args.out}")
    else:
        write_utf8(sys.stdout, predictions_csv_text(result))
    return EXIT_OK


def write_utf8(stream, text):
    """Write ``text`` to a text stream as UTF-8 bytes, whatever the console's encoding, so the
    predictions on stdout are the same bytes as the file ``--out`` writes."""
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
    else:
        buffer.write(text.encode("utf-8"))
        buffer.flush()
