"""The clustering benchmark's measure, on toy data and on the paraphrase set."""

from benchmarks.clusters import load_signals, measure, pairwise, text_of, wordllama_vectors


def test_pairwise_counts_pairs_put_together_against_pairs_that_belong_together():
    labels = {1: "a", 2: "a", 3: "a", 4: None, 5: "b", 6: "b"}
    clusters = {1: [1, 2], 2: [3, 4], 3: [5, 6]}  # (1,3), (2,3) missed; (3,4) wrong

    precision, recall, f1 = pairwise(labels, clusters)

    assert (round(precision, 3), round(recall, 3)) == (0.667, 0.5)
    assert round(f1, 3) == 0.571


def test_the_default_threshold_keeps_its_measure_on_the_paraphrase_set():
    signals = load_signals()
    vectors = wordllama_vectors([text_of(s) for s in signals])

    row = measure(signals, vectors, 0.55, orders=2)

    assert row["precision"] >= 0.95
    assert row["recall"] >= 0.8
