#!/usr/bin/env python3
"""Picks the fuzzer-found seeds worth committing: after `cargo +nightly fuzz cmin <target>`,
    python3 fuzz/pick_seeds.py <target> [limit=40]
copies into fuzz/seeds/<target>/, one at a time, the input of fuzz/corpus/<target>/ that adds
the most coverage features (as libFuzzer's -merge counts them) to what the seeds so far reach,
starting from the hand-made ones (hand-*), until the folder holds `limit` files or no input
adds anything. Earlier picks are replaced.
"""
import os
import shutil
import subprocess
import sys
import tempfile

target = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 40
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, "fuzz/target/x86_64-unknown-linux-gnu/release", target)
seeds = os.path.join(root, "fuzz/seeds", target)
corpus = os.path.join(root, "fuzz/corpus", target)

for name in os.listdir(seeds):
    if not name.startswith("hand-"):
        os.remove(os.path.join(seeds, name))


def new_features():
    """{corpus file: the features it adds}. libFuzzer's merge runs the first folder's inputs
    first (here the seeds so far), then the others by size, and lists for each the features no
    earlier input reached."""
    with tempfile.TemporaryDirectory() as tmp:
        control = os.path.join(tmp, "control")
        first = os.path.join(tmp, "first")
        shutil.copytree(seeds, first)
        subprocess.run([binary, "-merge=1", "-merge_control_file=" + control, first, corpus],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lines = open(control).read().split("\n")
    count = int(lines[0])
    files = lines[2:2 + count]
    added = {}
    for line in lines[2 + count:]:
        words = line.split()
        if words and words[0] == "FT" and files[int(words[1])].startswith(corpus + "/"):
            added[files[int(words[1])]] = len(words) - 2
    return added


picked = []
while len(os.listdir(seeds)) < limit:
    added = new_features()
    if not added or max(added.values()) == 0:
        break
    best = max(added, key=lambda p: (added[p], -os.path.getsize(p)))
    shutil.copy(best, os.path.join(seeds, os.path.basename(best)))
    picked.append((os.path.basename(best), added[best]))
print(f"{target}: picked {len(picked)} (name, features added):", picked)
