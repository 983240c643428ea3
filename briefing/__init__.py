"""Briefing packs: the dashboard's scope and period as PDF (A4 landscape), PPTX (16:9) and one
self-contained offline HTML file, in French or English, public or member content.

Every number comes from the publishing gate (:mod:`analysis.gate`) through
:mod:`briefing.content`; the other modules only draw and lay out. Entry points:
:func:`briefing.pack.build_pack`, :func:`briefing.pack.pack_bytes` and ``python -m briefing``.
"""
