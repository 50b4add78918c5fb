"""Who follows, blocks and mutes whom, and who may see what because of it."""
