"""Rules of the European Union (Regulation (EU) 2017/2402 and the Interest and Royalties Directive)."""
