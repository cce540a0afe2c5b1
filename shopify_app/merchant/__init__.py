"""What the merchant chose for their portal (actions, frequencies), read by every surface."""
