"""Staff users, their roles in agencies, and the one place where staff queries are scoped."""
