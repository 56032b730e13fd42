"""Names vulture cannot see used: framework entry points called by Flask, click or pytest."""
