"""Figures: find the counts a news text reports and judge them against the record.

Pure core, no I/O. Public surface used by the pipeline:

- ``extract.extract_figures(text, *, language=None, source=None) -> list[Figure]``
- ``classify.classify(figure, record, *, date, window=timedelta(days=14)) -> Finding``
- ``classify.same_claimant(a, b) -> bool`` (claimant aliases, table in ``claimants.py``)

Number reading on its own: ``numbers.find_numbers`` / ``numbers.read_number`` (German and English
digits, scale words, spelled-out numbers) and ``ranges.find_ranges`` (stated ranges with open or
closed ends). Vocabulary lives in data tables: ``subjects.py`` (unit nouns, nationalities, context
words → subject keys), ``claimants.py`` (alias groups), ``qualifiers.py`` (qualifier → interval),
``noise.py`` (what is not a figure), ``vocab.py`` (word lists).
"""
