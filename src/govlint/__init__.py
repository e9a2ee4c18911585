"""govlint: governance as code, a policy repository and linter for technology adoption and data ownership."""

__version__ = "0.1.0"
