"""Rules of Vietnam, where no trust law and no securitization statute exist."""
