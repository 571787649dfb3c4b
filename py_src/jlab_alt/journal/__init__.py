"""The server-side execution journal (see :mod:`jlab_alt.journal.plugin`)."""
