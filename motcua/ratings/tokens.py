"""The rating link's token and its stored hash: the piece ratings' queries and services share."""
import hashlib


def hash_token(token: str) -> str:
    """What is stored of a rating link's token (the link itself is only ever in the message sent)."""
    return hashlib.sha256((token or "").encode()).hexdigest()
