"""fanarchive: a self-hostable fan-fiction archive that reads the works it hosts."""

__version__ = "0.1.0"
