"""Write pumps.csv and pumps-new.csv, the tutorial's synthetic data: water pumps and their condition.

Synthetic, made up from a seed, not measured: a hidden "wear" grows with a pump's age, with
mineral oil, with salty air at the harbour and with running far from the flow it was built for;
vibration and temperature rise with the wear (and noise); the condition (ok, worn, failing) is
the wear cut at two thresholds (the median and the 80th percentile of the 300 pumps' wear). The
pump's tag is an identifier, and four cells are empty, as in a real maintenance log.
pumps-new.csv holds five more pumps (two ok, two worn, one failing) without their condition,
one with an empty cell, to predict.

Run ``python docs/examples/make_pumps.py docs/examples`` (NumPy only) to write them again.
"""

import csv
import os
import sys

import numpy as np

N_PUMPS = 300
SEED = 7
SITES = ("north", "harbour", "hill")
MISSING = ((17, "temperature (°C)"), (88, "temperature (°C)"), (131, "vibration (mm/s)"),
           (202, "lubricant"))
"""(row, column) of the cells left empty in pumps.csv."""


def simulate(n, seed):
    """``n`` pumps' columns as arrays, and their hidden wear."""
    rng = np.random.default_rng(seed)
    site = rng.choice(len(SITES), n, p=(0.4, 0.35, 0.25))
    age = rng.uniform(0.5, 14.0, n)
    flow = rng.normal(42.0, 9.0, n)
    mineral = rng.random(n) < 0.6
    wear = (0.22 * age + 0.9 * mineral + 0.7 * (site == 1) + ((flow - 42.0) / 9.0) ** 2 * 0.6
            + rng.normal(0.0, 0.15, n))
    vibration = np.exp(rng.normal(0.0, 0.12, n)) * (1.2 + 0.55 * wear)
    temperature = 44.0 + 2.4 * wear + 3.5 * (site == 2) + rng.normal(0.0, 2.0, n)
    columns = {"site": site, "age": age, "flow": flow, "mineral": mineral, "temperature": temperature,
               "vibration": vibration}
    return columns, wear


def pumps(n, seed, first=1):
    """The rows of ``n`` pumps as dicts of column name → text, tags counted from ``first``."""
    columns, wear = simulate(n, seed)
    low, high = np.quantile(simulate(N_PUMPS, SEED)[1], (0.5, 0.8))
    condition = np.where(wear < low, "ok", np.where(wear < high, "worn", "failing"))
    rows = []
    for i in range(n):
        rows.append({"pump": f"P-{first + i:03d}", "site": SITES[columns["site"][i]],
                     "age (years)": f"{columns['age'][i]:.1f}", "flow (m³/h)": f"{columns['flow'][i]:.1f}",
                     "lubricant": "mineral" if columns["mineral"][i] else "synthetic",
                     "temperature (°C)": f"{columns['temperature'][i]:.1f}",
                     "vibration (mm/s)": f"{columns['vibration'][i]:.2f}", "condition": condition[i]})
    return rows


def write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(folder):
    rows = pumps(N_PUMPS, SEED)
    for row, column in MISSING:
        rows[row][column] = ""
    write(os.path.join(folder, "pumps.csv"), rows)
    candidates = pumps(40, SEED + 1)
    wanted = ["ok", "worn", "failing", "worn", "ok"]  # the conditions of the five, in order
    new = []
    for condition in wanted:
        row = next(r for r in candidates if r["condition"] == condition and r not in new)
        new.append(row)
    for i, row in enumerate(new):
        row["pump"] = f"P-{N_PUMPS + 1 + i:03d}"
        del row["condition"]
    new[3]["vibration (mm/s)"] = ""
    write(os.path.join(folder, "pumps-new.csv"), new)


if __name__ == "__main__":
    main(sys.argv[1])
