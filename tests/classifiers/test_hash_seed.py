"""The features, and so the scores and a trained model, must not depend on the
process's hash seed: a nightly run, a benchmark and a retraining each start a
new process, and figures that move with it cannot be compared."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FEATURES_DIGEST = """
import hashlib
from classifiers.datasets import read_labelled
from classifiers.scoring import PledgeScorer
from classifiers.tokenize import get_tokenizer

labelled = read_labelled("data/labelled")
tokenizer = get_tokenizer()
scorer = PledgeScorer(labelled.catalog, tokenizer=tokenizer)
docs = [tokenizer.analyze(d) for d in labelled.documents[:150]]
batch = scorer.features(docs, scorer.recognizer.learn_offices(docs))
print(hashlib.sha256(batch.values.tobytes()).hexdigest(), len(batch.values))
"""


def features_digest(hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run([sys.executable, "-c", FEATURES_DIGEST], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=300)
    return done.stdout.strip()


def test_features_are_the_same_whatever_the_hash_seed():
    first, second = features_digest("1"), features_digest("2")
    assert int(first.split()[1]) > 1000  # enough pairs for summation order to show
    assert first == second

