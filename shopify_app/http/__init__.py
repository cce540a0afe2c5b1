"""What every surface's endpoints share: error rendering, the access log, bounded bodies."""
