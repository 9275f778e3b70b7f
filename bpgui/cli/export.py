"""``bpgui export``: convert a model file between JSON, NPZ and ONNX."""

from __future__ import annotations

from bpgui.arguments import EXIT_OK


def add_arguments(parser):
    parser.add_argument("model", metavar="MODEL", help="a .json or .npz model file")
    parser.add_argument("out", metavar="OUT", help="the file to write: .json, .npz or .onnx")


def run(args):
    from bpgui.io.model import load_model, model_suffix, save_model

    model_suffix(args.out)
    save_model(load_model(args.model), args.out)
    print(f"wrote {args.out}")
    return EXIT_OK
