#!/usr/bin/env bash
# Issue 16's goals, before and after in one run: two built project trees timed one after the other on the same
# machine, same inputs, same settings (docs/benchmarks.md, "Issue 16 goals").
# usage: jobs/bench-before-after.sh BEFORE_TREE AFTER_TREE OUT_DIR
#   BEFORE_TREE: e.g. git worktree add --detach /tmp/before <commit> && (cd /tmp/before && mvn -B -q package -DskipTests)
#                (its jar must be newer than its sources, or its launcher rebuilds it during the first timed run)
#   AFTER_TREE:  this tree, built the same way
# Writes each bench's output to OUT_DIR (samples, evaluate-{before,after}, leaderboard-{before,after},
# train-{before,after}); a run takes about 35 minutes on 2 cores. Run it on a quiet machine: each bench prints the
# load average beside its numbers.
set -u
before=$1 after=$2 out=$3
mkdir -p "$out"
stamp() { echo "== $1 $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
log() { stamp "$1" | tee -a "$out/run.log"; }
log samples
{ stamp "bench samples, after alternating with before"; (cd "$after" && jobs/alignloss bench samples --baseline "$before" --repeat 4 2>> "$out/samples.err"); } >> "$out/samples.txt"
{ stamp "bench samples, after, C1 only (opt-in)"; (cd "$after" && ALIGNLOSS_JAVA_OPTS=-XX:TieredStopAtLevel=1 jobs/alignloss bench samples --repeat 3 2>> "$out/samples.err"); } >> "$out/samples-c1.txt"
log evaluate
for tree in before after after; do
  dir=$([ $tree = before ] && echo "$before" || echo "$after")
  { stamp "bench evaluate $tree"; (cd "$dir" && ALIGNLOSS_DRIVER_MEMORY=8g jobs/alignloss bench evaluate --rows 5000000 2>> "$out/evaluate-$tree.err"); } >> "$out/evaluate-$tree.txt"
done
log leaderboard
{ stamp "bench leaderboard after"; (cd "$after" && ALIGNLOSS_DRIVER_MEMORY=8g jobs/alignloss bench leaderboard --keep 2>> "$out/leaderboard-after.err"); } >> "$out/leaderboard-after.txt"
work=$(grep '^kept ' "$out/leaderboard-after.txt" | tail -1 | cut -d' ' -f2)
{ stamp "leaderboard before, whole process, same battles"; (cd "$before" && /usr/bin/time -f "%e s wall %U s user %S s sys" \
    jobs/alignloss leaderboard --battles "$work/battles" --out /tmp/ba-lb-before --bootstrap 100 --seed 42 > /tmp/ba-lb-before.log 2>&1; \
    tail -1 /tmp/ba-lb-before.log); } >> "$out/leaderboard-before.txt"
rm -rf "$work" /tmp/ba-lb-before
log train
for tree in before after; do
  dir=$([ $tree = before ] && echo "$before" || echo "$after")
  { stamp "bench train $tree"; (cd "$dir" && ALIGNLOSS_DRIVER_MEMORY=12g jobs/alignloss bench train --rows 500000 --dimension 384 --repeat 2 2>> "$out/train-$tree.err"); } >> "$out/train-$tree.txt"
done
log done
