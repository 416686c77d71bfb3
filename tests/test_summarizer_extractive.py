"""The learned extractive summarizer: model file, sentence filters, selection, constraints."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from diplobot.text import syllables
from summarizer import Summary, SummarizerLoadError, load_summarizer
from summarizer.eligibility import opener
from summarizer.evaluate import load_jsonl
from summarizer.extractive import MAX_CHARS, ExtractiveSummarizer, candidates
from summarizer.features import FEATURE_NAMES, sentence_features
from summarizer.jsonl import summarize_jsonl
from summarizer.model import DEFAULT_MODEL, ModelFileError, Policy, load_model
from summarizer.oracle import greedy_oracle
from summarizer.readability import unreadable_kinds
from summarizer.select import select
from summarizer.sentences import is_furniture, quotes_balanced, readable, split_line_sentences
from summarizer.train import build_dataset, train_ensemble, train_mlp

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = Path(__file__).parent / "data" / "vietnews_sample.jsonl"


@pytest.fixture(scope="module")
def summarizer() -> ExtractiveSummarizer:
    return ExtractiveSummarizer()


def seed_articles() -> list[tuple[str, str]]:
    """(title, body) of the seed articles: first line is the title."""
    articles = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        articles.append((title.strip(), body))
    return articles


def all_articles() -> list[tuple[str, str]]:
    return [(r["title"], r["body"]) for r in load_jsonl(SAMPLE)] + seed_articles()


# --- the model file ---------------------------------------------------------------


def test_model_file_is_small_and_matches_the_features():
    assert DEFAULT_MODEL.stat().st_size < 200_000
    model = load_model()
    assert model.layers[0][0].shape[0] == len(FEATURE_NAMES) == len(model.mean) == len(model.scale)
    assert model.layers[-1][0].shape[1] == 1
    assert len(model.idf.table) > 1000 and model.idf.rare > max(model.idf.table.values()) - 1e-9


def test_model_scores_a_fixture_deterministically():
    record = load_jsonl(SAMPLE)[0]
    found = candidates(record["title"], record["body"])
    features = sentence_features(syllables(record["title"]), found.sentences, found.tokens, load_model().idf)
    assert features.shape == (len(found.sentences), len(FEATURE_NAMES))
    first, second = load_model().score(features), load_model().score(features)
    assert np.array_equal(first, second)
    assert first.sum() == pytest.approx(1.0)  # the sentences of one article share the mass
    assert np.all(first > 0)


def test_model_file_with_other_features_is_refused(tmp_path):
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    data["feature_names"] = data["feature_names"][:-1]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelFileError):
        load_model(path)
    with pytest.raises(SummarizerLoadError):
        ExtractiveSummarizer(path)
    with pytest.raises(SummarizerLoadError):
        ExtractiveSummarizer(tmp_path / "missing.json")


def test_training_is_deterministic_and_round_trips(tmp_path):
    data = build_dataset(load_jsonl(SAMPLE), "sample", progress=False)
    assert data.features.shape == (data.offsets[-1], len(FEATURE_NAMES))
    assert data.labels.sum() >= len(data.references)  # the oracle picks at least one sentence each
    one = train_mlp(data, hidden=4, epochs=2, seed=3)
    two = train_mlp(data, hidden=4, epochs=2, seed=3)
    one.idf = data.idf
    one.save(tmp_path / "a.json")
    two.idf = data.idf
    two.save(tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    reloaded = load_model(tmp_path / "a.json")
    rows = data.features[: data.offsets[1]]
    assert np.allclose(reloaded.score(rows), one.score(rows), atol=1e-5)


def _logits(model, rows):
    x = (rows - model.mean) / model.scale
    for weights, bias, activation in model.layers[:-1]:
        x = np.maximum(x @ weights + bias, 0.0)
    weights, bias, _ = model.layers[-1]
    return (x @ weights + bias)[:, 0]


def test_an_ensemble_is_one_mlp_that_scores_the_mean_of_its_members():
    data = build_dataset(load_jsonl(SAMPLE), "sample", progress=False)
    merged = train_ensemble(data, hidden=4, epochs=1, seed=3, members=2)
    members = [train_mlp(data, hidden=4, epochs=1, seed=3), train_mlp(data, hidden=4, epochs=1, seed=4)]
    rows = data.features[: data.offsets[1]].astype(np.float64)
    assert merged.layers[0][0].shape == (len(FEATURE_NAMES), 8)
    mean = (_logits(members[0], rows) + _logits(members[1], rows)) / 2
    assert np.allclose(_logits(merged, rows), mean)
    expected = np.exp(mean - mean.max()) / np.exp(mean - mean.max()).sum()
    assert np.allclose(merged.score(rows), expected)


# --- sentences and filters ---------------------------------------------------------


def test_split_glues_initials_and_cut_lines():
    text = (
        "Năm 2017 , nữ chủ nhà nghỉ làm đám cưới với Đ. N.A . , người đàn ông có vợ mất .\n"
        "Vào khoảng 15h ngày 24/7 , Thạch Sà Kh .\n"
        "( SN 1983 , ngụ xã Hưng Hội ) bất ngờ cầm dao .\n"
        "Ông nói: “Tốt.” Sau đó ông về. Bà ở lại."
    )
    assert split_line_sentences(text) == [
        "Năm 2017 , nữ chủ nhà nghỉ làm đám cưới với Đ. N.A . , người đàn ông có vợ mất .",
        "Vào khoảng 15h ngày 24/7 , Thạch Sà Kh . ( SN 1983 , ngụ xã Hưng Hội ) bất ngờ cầm dao .",
        "Ông nói: “Tốt.”",
        "Sau đó ông về.",
        "Bà ở lại.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Quang cảnh hội nghị tại điểm cầu tỉnh Sóc Trăng. Ảnh: H.NHƯ",
        "Ảnh : Thanh Xuân",
        "HỒ VĂN",
        "Huyền Lê ( Theo AFP )",
        "(TTXVN/Vietnam+)",
        "Theo TTXVN",
        "Xem thêm : Thủ tướng Campuchia : Đối thoại Cấp cao",
        "Cởi mở, đoàn kết để hội nhập",
    ],
)
def test_captions_bylines_and_headings_are_furniture(text):
    assert is_furniture(text, len(syllables(text)))


def test_readable_rejects_half_quotes_title_and_fragments():
    title = syllables("Bộ Ngoại giao trợ giúp các địa phương quảng bá, thu hút đầu tư")
    ok = "Thứ trưởng Bùi Thanh Sơn khẳng định Bộ Ngoại giao sẽ hỗ trợ các địa phương."
    assert readable(ok, syllables(ok), title)
    assert not quotes_balanced("“Chúng ta cùng phát triển và mời gọi đầu tư.")
    for bad in (
        "“Chúng ta cùng phát triển và mời gọi đầu tư theo hướng năng lượng xanh.",
        "Bộ Ngoại giao trợ giúp các địa phương quảng bá, thu hút đầu tư",
        ", người đàn ông có vợ mất từ nhiều năm trước .",
        "( SN 1983 , ngụ xã Hưng Hội ) bất ngờ cầm dao và khúc gỗ .",
        "Trung tướng Trần Văn Vệ , Chánh Văn phòng cho biết :",
    ):
        assert not readable(bad, syllables(bad), title), bad


def test_oracle_finds_the_sentences_of_the_reference():
    sentences = [syllables(s) for s in ("trời mưa to ở hà nội", "giá vàng tăng mạnh", "hà nội ngập nặng")]
    assert greedy_oracle(sentences, syllables("trời mưa to ở hà nội, hà nội ngập nặng")) == [0, 2]


def test_select_penalises_repeats_and_keeps_the_char_budget():
    tokens = [["a", "b", "c"], ["a", "b", "c"], ["d", "e", "f"]]
    policy = Policy(target_syllables=100, max_syllables=100, max_sentences=2, min_ratio=0.0, mmr_lambda=1.0)
    assert select(np.array([0.5, 0.4, 0.1]), tokens, [10, 10, 10], policy) == [0, 2]
    assert select(np.array([0.5, 0.4, 0.1]), tokens, [10, 10, 10], policy, max_chars=15) == [0]
    # A too-long best sentence gives way to one that fits and scores half as much or more.
    assert select(np.array([0.5, 0.3, 0.2]), tokens, [500, 100, 100], policy, max_chars=400)[0] == 1
    assert select(np.array([0.8, 0.1, 0.1]), tokens, [500, 100, 100], policy, max_chars=400) == [0]


def test_a_lede_bonus_opens_on_the_lede_and_leaves_the_scores_alone():
    tokens = [["a", "b"], ["c", "d"], ["e", "f"]]
    policy = Policy(target_syllables=2, max_syllables=100, max_sentences=1, min_ratio=0.0, mmr_lambda=0.0)
    scores = np.array([0.2, 0.5, 0.3])
    assert select(scores, tokens, [10, 10, 10], policy) == [1]
    assert select(scores, tokens, [10, 10, 10], replace(policy, lede_bonus=0.2)) == [1]  # 0.4 < 0.5
    assert select(scores, tokens, [10, 10, 10], replace(policy, lede_bonus=0.4)) == [0]
    assert scores.tolist() == [0.2, 0.5, 0.3]
    assert Policy.from_dict({"lede_bonus": 0.1}).lede_bonus == 0.1 and Policy().lede_bonus == 0.0


def test_select_skips_what_is_not_allowed_and_asks_lazily():
    tokens = [["a", "b"], ["c", "d"], ["e", "f"]]
    policy = Policy(target_syllables=2, max_syllables=100, max_sentences=1, min_ratio=0.0, mmr_lambda=0.0)
    asked = []

    def allowed(i):
        asked.append(i)
        return i != 1

    assert select(np.array([0.2, 0.5, 0.3]), tokens, [10, 10, 10], policy, allowed=allowed) == [2]
    assert asked == [1, 2]  # sentence 0 was never about to be taken: never asked


def test_select_keeps_a_sentence_that_points_back_off_the_first_place():
    tokens = [["a", "b"], ["c", "d"], ["e", "f"]]
    policy = Policy(target_syllables=100, max_syllables=100, max_sentences=2, min_ratio=0.0, mmr_lambda=0.0)
    scores, lengths = np.array([0.1, 0.3, 0.6]), [10, 10, 10]
    opens = [True, True, False].__getitem__
    # The best (2) cannot open: 1 opens, and 2 may follow it.
    assert select(scores, tokens, lengths, policy, can_open=opens) == [1, 2]
    # A sentence that cannot open never comes first in article order either.
    opens = [False, True, True].__getitem__
    assert select(np.array([0.45, 0.2, 0.35]), tokens, lengths, policy, can_open=opens) == [1, 2]
    # lead_in: the best one comes after the sentence before it.
    lead = Policy(target_syllables=4, max_syllables=100, max_sentences=2, min_ratio=0.0, mmr_lambda=0.0, lead_in=True)
    assert select(np.array([0.2, 0.1, 0.7]), tokens, lengths, lead, can_open=[True, True, False].__getitem__) == [1, 2]


# --- summaries a reader sees -------------------------------------------------------


@pytest.mark.parametrize("index", range(len(all_articles())))
def test_summary_constraints(summarizer, index):
    title, body = all_articles()[index]
    summary = summarizer.summarize(title, body)
    assert summary.backend == "extractive" and summary.flag is None
    assert summary.model == summarizer.model_name != ""
    sentences = split_line_sentences(body)
    picked = [s for s in sentences if s in summary.text or (opener(s) or "\0") in summary.text]
    # Whole sentences, in article order; the first may have lost an opening that points back.
    assert " ".join([opener(picked[0])] + picked[1:]) == summary.text
    assert unreadable_kinds(title, body, summary.text) == frozenset()
    assert len(summary.text) <= MAX_CHARS or len(picked) == 1
    assert title not in summary.text
    assert "Ảnh:" not in summary.text and "Ảnh :" not in summary.text
    assert quotes_balanced(summary.text)


def test_summary_is_deterministic(summarizer):
    title, body = seed_articles()[3]
    assert summarizer.summarize(title, body) == ExtractiveSummarizer().summarize(title, body)
    assert summarizer.summarize_many([(title, body)] * 2) == [summarizer.summarize(title, body)] * 2


def test_variant_without_char_cap_can_be_longer():
    capped, free = ExtractiveSummarizer(), ExtractiveSummarizer(max_chars=None)
    lengths = [(len(capped.summarize(t, b).text), len(free.summarize(t, b).text)) for t, b in all_articles()]
    assert all(c <= f or c <= MAX_CHARS for c, f in lengths)


def test_passthrough_for_english_and_short_texts(summarizer):
    english = "The Foreign Ministry said on Monday that talks would resume. Both sides agreed to meet again."
    assert summarizer.summarize("Talks", english) == Summary(english, "passthrough", flag="not_vietnamese")
    one = "Bộ Ngoại giao tổ chức họp báo thường kỳ chiều nay tại Hà Nội."
    assert summarizer.summarize("Họp báo", one) == Summary(one, "passthrough", flag="too_short")
    assert summarizer.summarize("", "  ") == Summary("", "passthrough", flag="too_short")
    captions = "Toàn cảnh buổi làm việc\nẢnh: Quốc Chiến"
    assert summarizer.summarize("Họp báo", captions) == Summary(captions, "passthrough", flag="too_short")


def test_load_summarizer_gives_the_learned_extractive():
    assert isinstance(load_summarizer("extractive"), ExtractiveSummarizer)


# --- JSON lines --------------------------------------------------------------------


class _FailsOnBoom:
    name = "test"

    def summarize(self, title: str, body: str) -> Summary:
        if "boom" in body:
            raise RuntimeError("model exploded")
        return Summary(body.upper(), "test")

    def summarize_many(self, items):
        return [self.summarize(t, b) for t, b in items]


def test_summarize_jsonl_keeps_order_and_reports_failures():
    lines = [
        json.dumps({"id": "1", "title": "t", "body": "một"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "3", "title": "t", "body": "boom"}),
        "",
        json.dumps({"id": "4", "body": "bốn"}, ensure_ascii=False),
        "[1, 2]",
    ]
    out, err = io.StringIO(), io.StringIO()
    assert summarize_jsonl(lines, _FailsOnBoom(), out, err) == (5, 3)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {"id": "1", "summary": "MỘT", "backend": "test"},
        {"id": None, "summary": "", "backend": "error"},
        {"id": "3", "summary": "", "backend": "error"},
        {"id": "4", "summary": "BỐN", "backend": "test"},
        {"id": None, "summary": "", "backend": "error"},
    ]
    warnings = err.getvalue().splitlines()
    assert len(warnings) == 3 and "line 2" in warnings[0] and "model exploded" in warnings[1]


def test_summarize_jsonl_with_the_real_summarizer(summarizer):
    records = load_jsonl(SAMPLE)[:3]
    out = io.StringIO()
    lines = [json.dumps({k: r[k] for k in ("id", "title", "body")}, ensure_ascii=False) for r in records]
    summarize_jsonl(lines, summarizer, out, io.StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [row["id"] for row in rows] == [r["id"] for r in records]
    assert all(row["backend"] == "extractive" and row["summary"] for row in rows)


def test_summarize_jsonl_progress_goes_to_err_only():
    out, err = io.StringIO(), io.StringIO()
    lines = [json.dumps({"id": str(i), "title": "t", "body": "x"}) for i in range(3)]
    assert summarize_jsonl(lines, _FailsOnBoom(), out, err, progress=True) == (3, 0)
    assert len(out.getvalue().splitlines()) == 3
    assert err.getvalue().rstrip().endswith("3 summaries written (0 failed) by test")
