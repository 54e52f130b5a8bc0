"""Rules of Japan."""
