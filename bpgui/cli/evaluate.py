"""``bpgui evaluate``: a model's metrics on labelled data."""

from __future__ import annotations

import json

from bpgui.arguments import EXIT_OK, add_csv_arguments, csv_options


def add_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a .json or .npz model file")
    parser.add_argument("data", metavar="DATA.csv", help="data with the target column(s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_csv_arguments(parser, default_na="the model's list")


def run(args):
    from bpgui.data import read_csv
    from bpgui.io.evaluation import evaluate_model, evaluation_table
    from bpgui.io.model import load_model

    model = load_model(args.model)
    table = read_csv(args.data, csv_options(args, tuple(model.preprocessor.na_values)))
    evaluation = evaluate_model(model, table)
    if args.json:
        print(json.dumps(evaluation.metrics, allow_nan=False))
    else:
        print(evaluation_table(evaluation, model, args.model, args.data))
    return EXIT_OK
