"""Notifications: e-mail and SMS through a transactional outbox, delivered after commit with retries."""
