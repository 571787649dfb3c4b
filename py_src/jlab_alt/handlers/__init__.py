"""Tornado handlers jlab-alt adds to the host, one module per kind of route.

Every handler here requires an authenticated user authorized on a named resource
(see :data:`base.AUTH_RESOURCE`); mutating requests are XSRF-checked by
``JupyterHandler.prepare()``.
"""
