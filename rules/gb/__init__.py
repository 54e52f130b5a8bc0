"""Rules of the United Kingdom (the Securitisation Regulations 2024 regime, tax and patents)."""
