"""`manage.py democa`: a demo root CA and one signing certificate per result-issuing agency (idempotent).

Writes into `SIGNING_KEYS_DIR`: `ca.pem` (the root certificate, the trust anchor of `/xac-thuc/`), `ca-key.pem` (its
key, encrypted with `SIGNING_P12_PASSPHRASE`, kept so that a later run can add agencies), and `<agency code>.p12`
(key + certificate + CA certificate) for every agency that is neither a desk nor a division. Files already there are
kept. EC P-256 keys: pyHanko signs with ECDSA, and they take milliseconds to make. For demos and tests only.
"""
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management.base import BaseCommand, CommandError

from motcua.agencies.models import Agency, AgencyKind
from motcua.documents.signing import ca_path, key_path, keys_dir, passphrase

CA_NAME = "Một Cửa Demo Root CA"
CA_YEARS, LEAF_YEARS = 10, 3


def _name(common: str, org: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org[:64]),
        x509.NameAttribute(NameOID.COMMON_NAME, common[:64]),
    ])


def make_ca(*, name: str = CA_NAME, years: int = CA_YEARS):
    """A self-signed root (key, certificate): CA, path length 0, may sign certificates and CRLs."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    subject = _name(name, name)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                     encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def make_leaf(*, ca_key, ca_cert, code: str, name: str, years: int = LEAF_YEARS):
    """The agency's signing certificate: O = agency name, CN = agency code, digitalSignature + nonRepudiation."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(_name(code, name)).issuer_name(ca_cert.subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def p12_bytes(*, key, cert, ca_cert, friendly_name: str, secret: bytes) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        friendly_name.encode(), key, cert, [ca_cert], serialization.BestAvailableEncryption(secret)
    )


class Command(BaseCommand):
    help = "Create a demo root CA and a signing certificate (.p12) for every result-issuing agency (safe to re-run)."

    def handle(self, *args, **options):
        directory, secret = keys_dir(), passphrase()
        directory.mkdir(parents=True, exist_ok=True)
        ca_file, ca_key_file = ca_path(), directory / "ca-key.pem"
        if ca_file.exists() and ca_key_file.exists():
            ca_cert = x509.load_pem_x509_certificate(ca_file.read_bytes())
            ca_key = serialization.load_pem_private_key(ca_key_file.read_bytes(), password=secret)
            self.stdout.write(f"Dùng lại CA có sẵn: {ca_file}")
        elif ca_file.exists():
            raise CommandError(f"{ca_file} exists without ca-key.pem: not a demo CA; refusing to replace it.")
        else:
            ca_key, ca_cert = make_ca()
            ca_key_file.write_bytes(ca_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(secret),
            ))
            ca_key_file.chmod(0o600)
            ca_file.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
            self.stdout.write(f"Đã tạo CA: {ca_file}")
        agencies = Agency.objects.exclude(kind__in=[AgencyKind.DESK, AgencyKind.DIVISION]).order_by("path")
        made = kept = 0
        for agency in agencies:
            path = key_path(agency.code)
            if path.exists():
                kept += 1
                continue
            key, cert = make_leaf(ca_key=ca_key, ca_cert=ca_cert, code=agency.code, name=agency.name)
            path.write_bytes(p12_bytes(key=key, cert=cert, ca_cert=ca_cert, friendly_name=agency.code, secret=secret))
            path.chmod(0o600)
            made += 1
        self.stdout.write(self.style.SUCCESS(
            f"Đã tạo {made} chứng thư ký số cho cơ quan ({kept} đã có, giữ nguyên) trong {directory}."
        ))
