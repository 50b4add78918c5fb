"""Reports from users and what moderators do about them (the admin is the moderators' tool)."""
