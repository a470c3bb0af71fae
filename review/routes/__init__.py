"""HTTP routes, one module per part of the moderators' work."""
