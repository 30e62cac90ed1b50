"""alliance-tui: two people at one terminal design their alliance, line by line."""

__version__ = "0.1.0"
