"""Running the lessons for a room: lesson links (`links`), a JupyterHub (`hub`, `jupyterhub_config.py`)
and its load test with simulated attendees (`loadtest`).  The instructor's guide is docs/workshop.md."""
