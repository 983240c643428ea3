"""Loading data from the browser: the information managers' import screens (upload, dry-run
report, teaching the place resolver, publish or discard, versions and rollback).

The screens live in :mod:`imports.web`; what they drive (drafts, publishing, versions, learned
place mappings) is :class:`data.publishing.Publisher`. No Dash import here.
"""
