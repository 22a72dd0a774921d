"""The notebook a student would write for double descent on the digits: numpy, lstsq at every size.

The digits of data/digits.bin (1,797 8 x 8 images, 10 classes; scripts/digits.py). Each trial
draws --n training and --test held-out images, standardizes the pixels with the training images'
mean and standard deviation, draws random ReLU features max(0, w.x + b) (w ~ N(0, I/64),
b ~ N(0, 1)) up to the largest size, and at every size (--grid every, the default: a loop over
range(1, max_size + 1)) or at 60 log-spaced sizes (--grid log) refits the ten one-hot
outputs with np.linalg.lstsq (the minimum-norm solution), recording the squared loss and the
classification error on the held-out images. Prints one CSV row per size:
size,test_loss,class_err (means over trials), and its time on stderr.
"""
import argparse, pathlib, sys, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=300)
ap.add_argument("--test", type=int, default=500)
ap.add_argument("--max-size", type=int, default=1200)
ap.add_argument("--trials", type=int, default=20)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--grid", choices=["every", "log"], default="every")
a = ap.parse_args()

raw = (pathlib.Path(__file__).resolve().parent.parent / "data" / "digits.bin").read_bytes()
count = int.from_bytes(raw[8:10], "little")
rec = np.frombuffer(raw[12:], dtype=np.uint8).reshape(count, 65)
X_all, labels = rec[:, :64].astype(float), rec[:, 64]
if a.grid == "every":
    sizes = np.arange(1, a.max_size + 1)
else:
    sizes = np.unique(np.clip(np.round(a.max_size ** (np.arange(60) / 59)), 1, a.max_size).astype(int))
rng = np.random.default_rng(a.seed)
loss = np.zeros(len(sizes)); err = np.zeros(len(sizes))
t0 = time.perf_counter()
for t in range(a.trials):
    order = rng.permutation(count)
    tr, te = order[: a.n], order[a.n : a.n + a.test]
    mu, sd = X_all[tr].mean(0), X_all[tr].std(0)
    sd[sd == 0] = np.inf
    X, Xt = (X_all[tr] - mu) / sd, (X_all[te] - mu) / sd
    Y = np.eye(10)[labels[tr]]
    W = rng.standard_normal((64, a.max_size)) / 8.0; b = rng.standard_normal(a.max_size)
    F, Ft = np.maximum(0, X @ W + b), np.maximum(0, Xt @ W + b)
    for k, p in enumerate(sizes):
        B = np.linalg.lstsq(F[:, :p], Y, rcond=None)[0]
        P = Ft[:, :p] @ B
        loss[k] += np.mean(np.sum((P - np.eye(10)[labels[te]]) ** 2, axis=1)) / a.trials
        err[k] += np.mean(P.argmax(1) != labels[te]) / a.trials
elapsed = time.perf_counter() - t0
print("size,test_loss,class_err")
for p, l, e in zip(sizes, loss, err):
    print(f"{p},{l},{e}")
print(f"# numpy {np.__version__}: {a.trials} trials x {len(sizes)} sizes in {elapsed:.3f} s", file=sys.stderr)
