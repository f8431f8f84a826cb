"""The attachment store on S3-compatible object storage: its django-storages options, read from the environment."""
from motcua.envconf import env_bool, env_int, env_secret, env_str

BACKEND = "storages.backends.s3.S3Storage"


def s3_storage_from_env() -> dict | None:
    """The `STORAGES["default"]` entry for S3 when `S3_BUCKET` is set, else None (files stay on local disk).

    Attachments are personal data: no ACL is sent (objects stay private to the bucket's owner, and buckets that
    refuse ACLs accept the upload), a name already taken gets a new one instead of overwriting another person's
    file, and any link `url()` makes is signed and lives `S3_URL_SECONDS`. Downloads still go through the
    permission-checked views, which stream the checked bytes (`dossiers.files.open_verified`).
    """
    bucket = env_str("S3_BUCKET", "")
    if not bucket:
        return None
    return {
        "BACKEND": BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            # Empty keys: boto3's own chain (an instance role, AWS_* variables, ~/.aws) finds them.
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_secret("S3_SECRET_ACCESS_KEY", "") or None,
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),  # MinIO and Ceph answer path-style
            "signature_version": "s3v4",
            "location": env_str("S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_SECONDS", 300),
            "file_overwrite": False,
            "max_memory_size": env_int("S3_MAX_MEMORY_BYTES", 2 * 1024 * 1024),
            "verify": env_bool("S3_VERIFY_TLS", True),
        },
    }
