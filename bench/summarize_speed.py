"""Seconds per article and peak memory: ViT5 on transformers fp32 vs CTranslate2 int8.

No ViT5 weights can be downloaded here, so the model is ViT5-base-shaped (d_model 768,
12+12 layers, 12 heads, d_ff 3072, ReLU, tied embeddings, vocab 36,096: ~226M
parameters) with seeded random weights; speed and memory depend on the shape, not on
the values. The SentencePiece model is trained on vietnews val text (36,096 pieces
asked, as many as that text supports granted; the embedding stays 36,096). Every
article is truncated to its leading 1024 tokens and decoded greedily to exactly
`--tokens` output tokens, so both runtimes do identical work. Each backend runs in
its own subprocess, so its peak RSS is its own. The extractive default runs on the
same articles for scale.

`--truncation` adds the leading-1024 vs chunk-and-merge study: how many articles are
longer than 1024 tokens, how much of the reference abstract the leading 1024 tokens
cover compared with the whole article, and what chunking costs in time.

    PYTHONPATH=. python bench/summarize_speed.py [DATA.jsonl] [--truncation] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = str(ROOT.parent / "shared" / "data" / "vietnews_val_diplomatic.jsonl")
DEFAULT_SP_DATA = str(ROOT.parent / "shared" / "data" / "vietnews_val_2000.jsonl")
VOCAB = 36096
EXTRA_IDS = 100  # T5Tokenizer's <extra_id_N>, inside the 36,096


def read_jsonl(path: str, limit: int | None = None) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
            if limit and len(records) == limit:
                break
    return records


def build(workdir: Path, sp_data: str) -> tuple[Path, Path]:
    """The fp32 Hugging Face folder and its int8 CTranslate2 conversion (reused if present)."""
    hf, ct2 = workdir / "vit5-base-random", workdir / "vit5-base-random-ct2"
    if (ct2 / "model.bin").is_file():
        return hf, ct2
    import sentencepiece as spm
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    from summarizer.convert import convert_model

    hf.mkdir(parents=True, exist_ok=True)
    lines = [t for r in read_jsonl(sp_data) for t in [r["title"], r["abstract"], *r["body"].splitlines()] if t.strip()]
    t0 = time.perf_counter()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(hf / "spiece"), vocab_size=VOCAB - EXTRA_IDS,
        hard_vocab_limit=False, model_type="unigram", pad_id=0, eos_id=1, unk_id=2, bos_id=-1,
        character_coverage=0.9999, num_threads=2, minloglevel=2,
    )
    (hf / "spiece.vocab").unlink()
    tokenizer = T5Tokenizer.from_pretrained(str(hf), legacy=True)
    print(f"sentencepiece: {tokenizer.vocab_size} pieces from {len(lines)} lines in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    config = T5Config(
        d_model=768, d_kv=64, d_ff=3072, num_layers=12, num_decoder_layers=12, num_heads=12, vocab_size=VOCAB,
        feed_forward_proj="relu", tie_word_embeddings=True, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
    )
    torch.manual_seed(0)
    model = T5ForConditionalGeneration(config)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(str(hf))
    del model
    t0 = time.perf_counter()
    convert_model(str(hf), str(ct2), quantization="int8", force=True)
    print(f"model: {params / 1e6:.1f}M parameters; int8 conversion {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return hf, ct2


def folder_mb(folder: Path, pattern: str) -> float:
    return sum(f.stat().st_size for f in folder.glob(pattern)) / 2**20


# ---- worker: one backend, one batch size, in its own process ---------------------------


def peak_rss_mb() -> float:
    """VmHWM: this process's peak RSS. (ru_maxrss survives fork+exec, so a worker
    started by the parent that built the model would report the parent's peak.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """User + system CPU time of this process: less sensitive than wall time to other
    jobs on a shared 2-core box (wall time is what a reader waits, CPU time what it costs)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def worker(kind: str, model: str, data: str, n: int, batch: int, threads: int, tokens: int, chunk_study: bool) -> dict:
    """Summarize n articles at `batch`, forcing exactly `tokens` output tokens."""
    from summarizer.seq2seq import model_input

    articles = read_jsonl(data, n)
    t0 = time.perf_counter()
    if kind == "extractive":
        from summarizer.extractive import ExtractiveSummarizer

        summarizer = ExtractiveSummarizer()
        summarizer.summarize("", "Khởi động . " * 3)  # load underthesea outside the timing
        load_s = time.perf_counter() - t0
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        summarizer.summarize_many([(a["title"], a["body"]) for a in articles])
        return {"kind": kind, "batch": 1, "s_per_article": (time.perf_counter() - t0) / n, "load_s": load_s,
                "cpu_s_per_article": (cpu_seconds() - cpu0) / n,
                "peak_rss_mb": peak_rss_mb(), "out_tokens": "-", "in_tokens": "-"}
    if kind == "transformers":
        import torch

        torch.set_num_threads(threads)
    from summarizer.vit5 import load_vit5

    summarizer = load_vit5(model, threads=threads)
    load_s = time.perf_counter() - t0
    texts = [model_input(a["body"]) for a in articles]
    generate = _forced_generate(summarizer, kind, tokens)
    generate(texts[:1])  # warm-up: first-call allocations stay out of the timing
    lengths: list[int] = []
    in_tokens: list[int] = []
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    for start in range(0, n, batch):
        outs, ins = generate(texts[start : start + batch])
        lengths += outs
        in_tokens += ins
    seconds = time.perf_counter() - t0
    result = {"kind": kind, "batch": batch, "s_per_article": seconds / n, "load_s": load_s,
              "cpu_s_per_article": (cpu_seconds() - cpu0) / n,
              "peak_rss_mb": peak_rss_mb(), "out_tokens": f"{min(lengths)}-{max(lengths)}",
              "in_tokens": f"{sum(in_tokens) / len(in_tokens):.0f} (max {max(in_tokens)})"}
    if chunk_study:
        result["chunks"] = _chunk_timing(summarizer, generate, data)
    return result


def _forced_generate(summarizer, kind: str, tokens: int):
    """The backend's own tokenize+generate path, with min = max output length."""
    from summarizer.seq2seq import MAX_INPUT_TOKENS

    if kind == "transformers":
        import torch

        def generate(texts):
            enc = summarizer.tokenizer(texts, max_length=MAX_INPUT_TOKENS, truncation=True, padding=True,
                                       return_tensors="pt")
            with torch.inference_mode():
                ids = summarizer.seq2seq.generate(**enc, min_new_tokens=tokens, max_new_tokens=tokens, num_beams=1,
                                                  do_sample=False)
            summarizer.tokenizer.batch_decode(ids, skip_special_tokens=True)
            return [len(row) - 1 for row in ids.tolist()], enc["attention_mask"].sum(1).tolist()

        return generate

    def generate(texts):
        pieces = [summarizer.tokens(t) for t in texts]
        results = summarizer.translator.translate_batch(pieces, beam_size=1, min_decoding_length=tokens,
                                                        max_decoding_length=tokens)
        [summarizer.decode(r.hypotheses[0]) for r in results]
        return [len(r.hypotheses[0]) for r in results], [len(p) for p in pieces]

    return generate


def _chunk_timing(summarizer, generate, data: str) -> list[dict]:
    """Leading 1024 tokens vs chunk-and-merge on the two longest articles of `data`."""
    from summarizer.seq2seq import MAX_INPUT_TOKENS, model_input

    articles = sorted(read_jsonl(data), key=lambda a: len(a["body"]), reverse=True)[:2]
    rows = []
    for article in articles:
        pieces = summarizer.sp.encode(model_input(article["body"]), out_type=str)
        size = MAX_INPUT_TOKENS - 1
        chunks = [summarizer.sp.decode_pieces(pieces[i : i + size]) for i in range(0, len(pieces), size)]
        t0 = time.perf_counter()
        generate(chunks[:1])
        lead_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for chunk in chunks:
            generate([chunk])
        rows.append({"id": article["id"], "tokens": len(pieces), "chunks": len(chunks), "lead_s": lead_s,
                     "chunked_s": time.perf_counter() - t0})
    return rows


def run_worker(kind: str, model: Path | str, args, batch: int, chunk_study: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--model", str(model), "--batch", str(batch), args.data,
           "--articles", str(args.articles), "--threads", str(args.threads), "--tokens", str(args.tokens)]
    if chunk_study:
        cmd.append("--truncation")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": str(args.threads)}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        sys.exit(f"{kind} worker failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# ---- leading 1024 vs chunk-and-merge: what the data says --------------------------------


def coverage_study(data: str, sp_model: Path) -> dict:
    """Articles over 1024 tokens, and abstract unigram recall of lead-1024 vs the whole."""
    import sentencepiece as spm

    from diplobot.text import syllables
    from summarizer.seq2seq import model_input

    sp = spm.SentencePieceProcessor(model_file=str(sp_model))
    records = read_jsonl(data)
    long_lead, long_full, n_long, n_long_syll = [], [], 0, 0
    for r in records:
        pieces = sp.encode(model_input(r["body"]), out_type=str)
        n_long_syll += len(syllables(r["body"])) > 1023
        if len(pieces) <= 1023:
            continue
        n_long += 1
        ref = Counter(syllables(r["abstract"]))
        lead = Counter(syllables(sp.decode_pieces(pieces[:1023])))
        full = Counter(syllables(r["body"]))
        total = sum(ref.values())
        long_lead.append(sum(min(c, lead[w]) for w, c in ref.items()) / total)
        long_full.append(sum(min(c, full[w]) for w, c in ref.items()) / total)
    mean = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
    return {"articles": len(records), "over_1024_tokens": n_long, "over_1024_syllables": n_long_syll,
            "recall_lead": mean(long_lead), "recall_full": mean(long_full)}


# ---- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=DEFAULT_DATA, help="vietnews-style JSONL (title, abstract, body)")
    parser.add_argument("--sp-data", default=DEFAULT_SP_DATA, help="JSONL whose text trains the SentencePiece model")
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=64, help="exact output length")
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--workdir", help="keep the built models here (reused on the next run)")
    parser.add_argument("--truncation", action="store_true", help="add the leading-1024 vs chunk-and-merge study")
    parser.add_argument("--worker", choices=["transformers", "ct2", "extractive"], help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.model, args.data, args.articles, args.batch, args.threads,
                                args.tokens, args.truncation)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.workdir or tmp)
        hf, ct2 = build(workdir, args.sp_data)
        print("load average at the start: %.2f %.2f %.2f" % os.getloadavg())
        print(f"on disk: transformers fp32 {folder_mb(hf, '*.safetensors'):.0f} MB, "
              f"ctranslate2 int8 {folder_mb(ct2, 'model.bin'):.0f} MB; {args.articles} articles from {args.data}, "
              f"{args.tokens} output tokens, {args.threads} threads")
        rows = []
        for batch in [int(b) for b in args.batches.split(",")]:
            for kind, model in (("transformers", hf), ("ct2", ct2)):
                rows.append(run_worker(kind, model, args, batch, args.truncation and kind == "ct2" and batch == 1))
                print(f"  done: {kind} batch {batch}", file=sys.stderr)
        rows.append(run_worker("extractive", "", args, 1))
        print_table(rows)
        print("load average (1, 5, 15 min) at the end: %.2f %.2f %.2f on %d cores" % (*os.getloadavg(), os.cpu_count()))
        if args.truncation:
            print_truncation(rows, coverage_study(args.data, hf / "spiece.model"))


def print_table(rows: list[dict]) -> None:
    names = {"transformers": "transformers fp32", "ct2": "ctranslate2 int8", "extractive": "extractive"}
    print(f"\n{'backend':<18} {'batch':>5} {'s/article':>10} {'CPU s/art':>10} {'load s':>7} {'peak RSS MB':>12} "
          f"{'out tok':>8}  in tokens")
    for r in rows:
        print(f"{names[r['kind']]:<18} {r['batch']:>5} {r['s_per_article']:>10.3f} {r['cpu_s_per_article']:>10.3f} "
              f"{r['load_s']:>7.1f} {r['peak_rss_mb']:>12.0f} {r['out_tokens']:>8}  {r['in_tokens']}")
    by = {(r["kind"], r["batch"]): r for r in rows}
    for batch in sorted({r["batch"] for r in rows if r["kind"] == "ct2"}):
        hf, ct2 = by[("transformers", batch)], by[("ct2", batch)]
        print(f"batch {batch}: ct2 int8 is {hf['s_per_article'] / ct2['s_per_article']:.2f}x faster "
              f"({hf['cpu_s_per_article'] / ct2['cpu_s_per_article']:.2f}x less CPU), uses {ct2['peak_rss_mb'] / hf['peak_rss_mb']:.2f} of the memory")


def print_truncation(rows: list[dict], cov: dict) -> None:
    print(f"\nleading 1024 vs chunk-and-merge ({cov['articles']} articles): "
          f"{cov['over_1024_tokens']} over 1024 bench-SentencePiece tokens, "
          f"{cov['over_1024_syllables']} over 1024 syllables")
    print(f"  abstract unigram recall on those: leading 1024 tokens {cov['recall_lead']:.3f}, "
          f"whole article {cov['recall_full']:.3f}")
    for row in next(r for r in rows if "chunks" in r)["chunks"]:
        print(f"  {row['id']}: {row['tokens']} tokens, {row['chunks']} chunks: leading 1024 {row['lead_s']:.2f} s, "
              f"chunk-and-merge {row['chunked_s']:.2f} s (ct2 int8, {rows[0]['out_tokens']} tokens per call)")


if __name__ == "__main__":
    main()
