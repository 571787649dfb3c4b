"""jlab-alt-plotly: a mime renderer for Plotly figures."""
