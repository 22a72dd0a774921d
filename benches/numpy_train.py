"""The notebook a student would write to watch training: gradient descent, step by step, with numpy.

Random ReLU features phi_j(x) = max(0, w_j x + b_j), w, b ~ N(0, 1), on x ~ U[-1, 1], target
sin(2 pi x) plus Gaussian noise; full-batch gradient descent on (1/n)||y - A beta||^2 from
beta = 0 with the step 0.5 * 2/L (L the largest eigenvalue of the loss's Hessian, from the
largest singular value), recording train and test error at log-spaced steps up to --steps,
averaged over trials. Prints one CSV row per recorded step: step,train_mse,test_mse.
"""
import argparse, sys, time
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=100)
ap.add_argument("--size", type=int, default=400)
ap.add_argument("--steps", type=int, default=10000)
ap.add_argument("--times", type=int, default=200)
ap.add_argument("--trials", type=int, default=20)
ap.add_argument("--test", type=int, default=500)
ap.add_argument("--noise", type=float, default=0.2)
ap.add_argument("--seed", type=int, default=0)
a = ap.parse_args()

rng = np.random.default_rng(a.seed)
f = lambda x: np.sin(2 * np.pi * x)
record = np.unique(np.round(np.logspace(0, np.log10(a.steps), a.times)).astype(int))
train = np.zeros(len(record)); test = np.zeros(len(record))
t0 = time.perf_counter()
for t in range(a.trials):
    x = rng.uniform(-1, 1, a.n); y = f(x) + a.noise * rng.standard_normal(a.n)
    xt = rng.uniform(-1, 1, a.test); yt = f(xt)
    w = rng.standard_normal(a.size); b = rng.standard_normal(a.size)
    A = np.maximum(0, np.outer(x, w) + b); At = np.maximum(0, np.outer(xt, w) + b)
    L = 2 * np.linalg.norm(A, 2) ** 2 / a.n
    eta = 0.5 * 2 / L
    beta = np.zeros(a.size)
    k = 0
    for step in range(1, a.steps + 1):
        beta -= eta * (-2 / a.n) * (A.T @ (y - A @ beta))
        if step == record[k]:
            train[k] += np.mean((A @ beta - y) ** 2); test[k] += np.mean((At @ beta - yt) ** 2)
            k += 1
el = time.perf_counter() - t0
print("step,train_mse,test_mse")
for i, s in enumerate(record):
    print(f"{s},{train[i]/a.trials:.6g},{test[i]/a.trials:.6g}")
print(f"# numpy {np.__version__}: {a.trials} trials x {a.steps} steps in {el:.3f} s", file=sys.stderr)
