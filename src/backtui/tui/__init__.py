"""The terminal UI on Textual: apps, screens, widgets and their stylesheets."""
