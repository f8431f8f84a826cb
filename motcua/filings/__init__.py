"""Online filing by citizens: e-form drafts, the citizen's document store, and reuse of stored documents."""
