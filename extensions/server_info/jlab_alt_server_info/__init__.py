"""jlab-alt-server-info: server facts in the status bar."""
