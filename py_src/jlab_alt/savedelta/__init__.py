"""Saves that send what changed: ``POST <base_url>jlab-alt/api/save-delta/<path>``.

Why: the host's contents API only takes whole notebooks, so saving a notebook with a
20 MB output after editing one cell sent 20 MB again, and the server parsed, validated
and wrote all of it. The page already knows what it changed (its models emit an event
for every edit), so it sends only that, and the server merges it into the notebook it
reads through the host's contents manager, then saves through that same contents
manager. Nothing about saving is bypassed: pre-save hooks (the exact-save reconcile),
signing, validation, atomic writes, post-save hooks (the journal) and the host's
``save`` event all run as for a PUT, and this module never writes a file itself.

The alternatives were worse: a JSON Patch (RFC 6902) of the whole document addresses
cells by index, so one inserted cell shifts every later path, and the page would need a
diff of the whole document (20 MB of JSON on the main thread) to make it; a server-side
cache of the last saved version goes stale the moment another program writes the file.
Cells are addressed by their nbformat 4.5 ``id``, which survives moves, inserts and
deletes; notebooks without unique ids always use the full PUT.

The version the page holds is identified by the host's ``last_modified`` of the file it
last loaded or saved plus the number of cells it had; a file changed on disk since then
answers 409 (the page then runs its usual "changed on disk" flow), and a delta that does
not fit the file (an unknown id, another cell count) answers 422: the page then sends
the whole notebook. A save is never lost, only sent in full.

Modules: :mod:`.merge` (the merge, pure and unit-tested) and :mod:`.handlers`.
"""
