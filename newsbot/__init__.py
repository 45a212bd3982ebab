"""newsbot: watch news feeds on one running story and flag new or conflicting figures."""

__version__ = "0.1.0"
