#!/usr/bin/env python3
"""Makes data/digits.bin, the handwritten digits ddviz serves beside the page and the CLI embeds,
and tests/data/wine.csv, a real table the tests read as "a table of your own".

The data: the UCI "Optical Recognition of Handwritten Digits" test set as scikit-learn bundles it
(sklearn/datasets/data/digits.csv.gz: 1,797 images of 8 x 8 pixels, each 0-16, and their labels
0-9), by E. Alpaydin and C. Kaynak, licence CC BY 4.0. It is taken from the scikit-learn wheel on
PyPI (the one registry this needs), at the version pinned below, and checked against its hash.

The file (little-endian), 116,817 bytes:
    b"DDVZDIG1"            magic and format version
    u16 count (1797)       images
    u8 width (8), u8 height (8)
    count records of width*height pixel bytes (0-16, row by row) and one label byte (0-9)

The wine table: the UCI Wine recognition data (178 wines, 13 chemical measurements, 3 cultivars;
M. Forina et al., licence CC BY 4.0), from the same wheel (sklearn/datasets/data/wine_data.csv),
written as a plain CSV with a header naming each column and the class as text (class_0 ...).

Both files are committed: building and testing ddviz never runs this script. Run it to check that
the committed file is exactly what the pinned wheel holds:

    python3 scripts/digits.py            # writes data/digits.bin and tests/data/wine.csv
    python3 scripts/digits.py --check    # exits 1 if either differs
"""

import gzip
import hashlib
import pathlib
import struct
import subprocess
import sys
import tempfile
import zipfile

SKLEARN = "1.7.2"
CSV = "sklearn/datasets/data/digits.csv.gz"
CSV_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
WINE = "sklearn/datasets/data/wine_data.csv"
ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "digits.bin"
WINE_OUT = ROOT / "tests" / "data" / "wine.csv"
WINE_COLUMNS = [
    "alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids",
    "nonflavanoid_phenols", "proanthocyanins", "color_intensity", "hue", "od280_od315", "proline", "class",
]


def from_wheel() -> tuple[bytes, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", tmp, f"scikit-learn=={SKLEARN}"],
            check=True,
        )
        wheel = zipfile.ZipFile(next(pathlib.Path(tmp).glob("scikit_learn-*.whl")))
        data, wine = wheel.read(CSV), wheel.read(WINE)
    if hashlib.sha256(data).hexdigest() != CSV_SHA256:
        sys.exit(f"{CSV} in scikit-learn {SKLEARN} does not have the expected SHA-256")
    return data, wine


def wine_csv(raw: bytes) -> bytes:
    lines = raw.decode().strip().splitlines()
    head = lines[0].split(",")  # "178,13,class_0,class_1,class_2"
    names = head[2:]
    out = [",".join(WINE_COLUMNS)]
    for line in lines[1:]:
        v = line.split(",")
        out.append(",".join(v[:-1] + [names[int(v[-1])]]))
    if len(out) != int(head[0]) + 1:
        sys.exit("unexpected wine_data.csv")
    return ("\n".join(out) + "\n").encode()


def pack(csv_gz: bytes) -> bytes:
    rows = [line.split(",") for line in gzip.decompress(csv_gz).decode().strip().splitlines()]
    out = bytearray(b"DDVZDIG1") + struct.pack("<HBB", len(rows), 8, 8)
    for row in rows:
        values = [int(float(v)) for v in row]
        pixels, label = values[:64], values[64]
        if len(values) != 65 or not all(0 <= v <= 16 for v in pixels) or not 0 <= label <= 9:
            sys.exit(f"unexpected row: {row}")
        out += bytes(pixels) + bytes([label])
    return bytes(out)


def main() -> None:
    digits, wine = from_wheel()
    files = [(OUT, pack(digits)), (WINE_OUT, wine_csv(wine))]
    if "--check" in sys.argv:
        same = all(path.exists() and path.read_bytes() == data for path, data in files)
        print(f"{OUT}, {WINE_OUT}: {'match' if same else 'DIFFER from'} scikit-learn {SKLEARN}'s data")
        sys.exit(0 if same else 1)
    for path, data in files:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")


if __name__ == "__main__":
    main()
