"""What a customer can do: the action registry, status actions and contract edits."""
