"""Three apps about people together: graph (follow, block, mute), messages, moderation."""
