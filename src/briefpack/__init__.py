"""briefpack: branded safeguarding learning briefings, as PDF and Word, from YAML."""

__version__ = "0.1.0"
