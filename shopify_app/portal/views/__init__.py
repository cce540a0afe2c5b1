"""What the portal shows: Admin API reads, view models and the HTML of its pages."""
