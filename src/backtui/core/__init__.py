"""The pure core: everything that imports nothing from Textual or Rich."""
