"""ROUGE at syllable level, Lead-n, and the evaluation report."""

from __future__ import annotations

import gzip
import json
import unicodedata
from pathlib import Path

import pytest
from rouge_score import rouge_scorer

from summarizer import Summary
from summarizer.evaluate import evaluate, format_report, lead_n, load_jsonl, make_scorer, rouge_tokenize

SAMPLE = Path(__file__).parent / "data" / "vietnews_sample.jsonl"


def test_tokenizer_keeps_vietnamese_letters():
    assert rouge_tokenize("Bộ Ngoại giao") == ["bộ", "ngoại", "giao"]
    # NFD input (as some pages send it) gives the same syllables as NFC.
    assert rouge_tokenize(unicodedata.normalize("NFD", "Đại sứ Việt Nam")) == ["đại", "sứ", "việt", "nam"]
    # Word-segmented text (underthesea style) is compared syllable by syllable.
    assert rouge_tokenize("Thủ_tướng Chính_phủ , 2024 .") == ["thủ", "tướng", "chính", "phủ", "2024"]


def test_tone_only_difference_scores_zero():
    reference, candidate = "ma má mà", "mả mã mạ"
    assert make_scorer().score(reference, candidate)["rouge1"].fmeasure == 0.0
    # rouge-score's default tokenizer drops the marked letters and calls them equal.
    default = rouge_scorer.RougeScorer(["rouge1"]).score(reference, candidate)["rouge1"].fmeasure
    assert default > 0.5


def test_rouge_l_is_one_lcs_over_the_whole_text():
    scores = make_scorer().score("hà nội hải phòng", "hải phòng hà nội")
    assert scores["rougeL"].fmeasure == pytest.approx(0.5)
    assert scores["rouge2"].fmeasure == pytest.approx(2 / 3)


def test_lead_n_takes_the_first_lines():
    body = "Câu một .\n\nCâu hai .\nCâu ba .\n"
    assert lead_n(body, 1) == "Câu một ."
    assert lead_n(body, 2) == "Câu một .\nCâu hai ."
    assert lead_n(body, 5) == "Câu một .\nCâu hai .\nCâu ba ."


def test_load_jsonl_reads_plain_and_gzip(tmp_path):
    records = [{"id": "a", "title": "T", "abstract": "A", "body": "B"}, {"id": "b"}]
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n"
    (tmp_path / "x.jsonl").write_text(text, encoding="utf-8")
    with gzip.open(tmp_path / "x.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(text)
    assert load_jsonl(tmp_path / "x.jsonl") == records
    assert load_jsonl(tmp_path / "x.jsonl.gz") == records


def test_evaluate_scores_systems_and_leads_on_the_same_texts():
    records = load_jsonl(SAMPLE)
    report = evaluate(
        records,
        {"copy": lambda title, body: Summary(next(r["abstract"] for r in records if r["body"] == body), "x")},
        progress=False,
    )
    systems = report["systems"]
    assert list(systems) == ["Lead-1", "Lead-2", "Lead-3", "copy"]
    assert report["articles"] == len(records)
    assert systems["copy"]["rouge1"] == pytest.approx(100.0)
    scorer = make_scorer()
    lead2 = [scorer.score(r["abstract"], lead_n(r["body"], 2))["rouge1"].fmeasure for r in records]
    assert systems["Lead-2"]["rouge1"] == pytest.approx(100 * sum(lead2) / len(lead2))
    assert systems["Lead-1"]["syllables"] < systems["Lead-2"]["syllables"] < systems["Lead-3"]["syllables"]

    for row in systems.values():  # the share of summaries with each kind of unreadable sentence
        assert set(row) >= {"caption", "question", "dangling", "cut", "any"}
        assert row["any"] <= row["caption"] + row["question"] + row["dangling"] + row["cut"]

    table = format_report(report)
    assert "Lead-3" in table and "copy" in table
    assert "caption%" in table.splitlines()[0] and "any%" in table.splitlines()[0]
    assert "lede%" in table.splitlines()[0]
    for row in systems.values():
        assert 0.0 <= row["lede"] <= 100.0
    assert table.splitlines()[-1].startswith(f"{len(records)} articles")
