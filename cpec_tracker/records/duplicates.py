"""Names close to an existing record's name or alias: "Did you mean …?" before a duplicate."""

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

# token_sort_ratio on lower-cased words without punctuation: "Chashma-5" and "chashma 5" score
# 100, "Amina Baloch" against "Amna Baloch" 96, "Ahsan Iqbal" against "Amna Baloch" 45.
SIMILARITY_CUTOFF = 88


@dataclass(frozen=True)
class SimilarRecord:
    record: object
    name: str  # the record's name or alias that is close
    score: float


def similar_records(model, name, *, exclude_pk=None, limit=5):
    """Records of `model` (drafts too) with a name or alias close to `name`, closest first.

    `model` is an `Aliased` record model; all its names are read in one query.
    """
    if not name or not utils.default_process(name):
        return []
    records = model._default_manager.only("pk", "slug", "aliases", *model.name_fields)
    if exclude_pk is not None:
        records = records.exclude(pk=exclude_pk)
    choices = [(record, other) for record in records for other in record.names]
    matches = process.extract(
        name,
        [other for _, other in choices],
        scorer=fuzz.token_sort_ratio,
        processor=utils.default_process,
        score_cutoff=SIMILARITY_CUTOFF,
        limit=None,
    )
    best = {}
    for _, score, position in sorted(matches, key=lambda match: -match[1]):
        record, other = choices[position]
        best.setdefault(record.pk, SimilarRecord(record, other, score))
    return list(best.values())[:limit]
