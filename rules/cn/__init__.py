"""Rules of the People's Republic of China."""
