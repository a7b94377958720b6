"""Default Word templates (package data), built by tools/make_templates.py."""
