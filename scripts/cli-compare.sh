#!/usr/bin/env bash
# Builds the CLI and writes (or compares) its outputs for a fixed set of scenes: `ddviz sweep`
# CSV, `ddviz plot` SVG and `ddviz fit` CSV and JSON.
#
#   scripts/cli-compare.sh save DIR      write the outputs to DIR
#   scripts/cli-compare.sh DIR           compare the outputs with those saved in DIR (exit 1 on a difference)
#
# The first two scenes are the default and the reference scene. Save at an older commit (a git
# worktree) and compare here to check that a change kept the CLI's output byte for byte.
# Cargo runs through /work/cargo-lock.sh when it exists (one build at a time on shared machines).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=compare
if [ "${1:-}" = save ]; then
  mode=save
  shift
fi
dir=${1:?usage: scripts/cli-compare.sh [save] DIR}
lock=()
[ -x /work/cargo-lock.sh ] && lock=(/work/cargo-lock.sh)
"${lock[@]}" cargo build --release --quiet --bin ddviz
bin="${CARGO_TARGET_DIR:-target}/release/ddviz"

scenes=(
  ""
  "family=relu&target=sin&n=100&noise=0.2&max-size=400&trials=20&test=500"
  "family=relu&target=sin&n=40&noise=0.1&max-size=400&trials=20"
  "axis=samples&size=30&n=120"
  "family=gaussian&n=40&dim=400&max-size=400&noise=0.5&trials=60&test=100"
  "family=fourier"
  "ridge=0.0001"
  "points=-0.5:0.1,-0.2:0.3,0:0.5,0.3:0.2,0.6:-0.1,0.9:0.4,-0.9:0.2,0.1:0.1,0.2:0.0,-0.7:0.3"
)

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf 'x,y\n-0.9,0.1\n-0.3,0.5\n0.2,0.9\n0.8,0.2\n0.5,-0.3\n-0.6,0.4\n' > "$out/train.csv"
printf 'x\n-0.5\n0\n0.5\n0.95\n' > "$out/eval.csv"
awk 'BEGIN { print "x,y"; for (i = 0; i < 24; i++) printf "%g,%g\n", -1 + i / 12, (i % 5) / 4 }' > "$out/own.csv"
for i in "${!scenes[@]}"; do
  q=${scenes[$i]}
  "$bin" sweep --scene "$q" > "$out/sweep-$i.csv"
  "$bin" plot --scene "$q" > "$out/plot-$i.svg"
  # The fit needs a 1-D family: the gaussian scene's fit is skipped (it is refused).
  case $q in *gaussian*) continue ;; esac
  "$bin" fit --scene "$q" --size 5 --train "$out/train.csv" --eval "$out/eval.csv" > "$out/fit-$i.csv"
  "$bin" fit --scene "$q" --size 5 --train "$out/train.csv" --eval "$out/eval.csv" --format json > "$out/fit-$i.json"
done
"$bin" sweep --scene "n=20&max-size=40&trials=3" --format json > "$out/sweep-json.json"
"$bin" sweep --data "$out/own.csv" --family relu --max-size 40 --trials 4 --holdout kfold --folds 4 > "$out/sweep-data.csv"
"$bin" theory --n 20 --dim 60 --max-size 60 --noise 0.5 > "$out/theory.csv"

rm -f "$out/train.csv" "$out/eval.csv" "$out/own.csv"
if [ "$mode" = save ]; then
  mkdir -p "$dir"
  cp "$out"/* "$dir"/
  echo "saved $(ls "$out" | wc -l) outputs to $dir"
else
  if diff -r "$dir" "$out" > /dev/null; then
    echo "identical: all $(ls "$out" | wc -l) outputs equal those in $dir"
  else
    diff -r "$dir" "$out" | head -40
    echo "DIFFERENT from $dir" >&2
    exit 1
  fi
fi
