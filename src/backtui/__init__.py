"""backtui: build a lower-back routine and follow it, timed and paced, in a terminal."""

__version__ = "0.1.0"
