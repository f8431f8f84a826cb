"""The public site for citizens and businesses: the procedure catalogue (later filing, tracking, rating)."""
