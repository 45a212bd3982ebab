"""Figures: find the counts a news text reports and judge them against the record.

Pure core, no I/O. Public surface used by the pipeline:

- ``extract.extract_figures(text, *, language=None, source=None) -> list[Figure]``
- ``classify.classify(figure, record, *, date, window) -> Finding``
"""
