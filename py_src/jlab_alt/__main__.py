"""``python -m jlab_alt`` behaves like the ``jlab-alt`` command."""

from .app import main

main()
