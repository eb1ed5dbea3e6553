"""Classic algorithm problems, each a small typed function checked against an oracle."""
