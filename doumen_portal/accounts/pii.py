"""Protection of personal data at rest.

Resident ID numbers are stored as Fernet ciphertext (keys from the environment, rotatable) together with
an HMAC-SHA256 digest under a separate key, so that duplicates can be found with an index without
decrypting anything. A database dump alone reveals neither the numbers nor a way to test guesses.
"""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.PII_ENCRYPTION_KEYS])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(ciphertext: str) -> str:
    return _fernet().decrypt(ciphertext.encode()).decode()


def keyed_digest(value: str) -> str:
    return hmac.new(settings.PII_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
