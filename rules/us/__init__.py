"""Rules of the United States (federal law, Delaware entity law and the UCC as enacted in Delaware)."""
