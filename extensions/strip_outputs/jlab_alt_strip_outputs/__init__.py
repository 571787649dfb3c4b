"""jlab-alt-strip-outputs: strip notebook outputs on save."""
