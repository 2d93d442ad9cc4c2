"""Encrypted model fields (BSN at rest) and the keyed lookup hash.

The encryption itself is django-fernet-encrypted-fields (Fernet: AES-128-CBC + HMAC-SHA256, random IV, so the
same BSN gives a different ciphertext every time). Two things are changed on top of that library:

- Keys. The library derives its key from SECRET_KEY with PBKDF2, so rotating SECRET_KEY (sessions, CSRF)
  would make every BSN unreadable. Here the keys come from their own environment variable,
  settings.FIELD_ENCRYPTION_KEYS (Fernet keys, newest first): MultiFernet encrypts with the first and
  decrypts with any of them. `manage.py rotate_field_keys` re-encrypts every row with the newest key.
- Validation (full_clean) never touches shared state; the library's version left a flag set after a failed
  validation, after which reads returned the ciphertext.
- Wrong keys fail closed. The library returns the stored ciphertext as the value when no key fits; here
  that is an error (BsnDecryptionError, no value in the message). A 9-digit plaintext value (a row written
  before the data migration, or a value just assigned in Python) is passed through as is.

Because the ciphertext is random, it can never be searched: look a BSN up through `bsn_hash` (HMAC-SHA-256
with settings.BSN_HASH_KEY over the normalised 9 digits), stored in a BsnHashField next to the BSN.
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from encrypted_fields.fields import EncryptedCharField

_PLAIN_BSN = re.compile(r"^[0-9]{9}$")
_fernets: dict[tuple[str, ...], MultiFernet] = {}


class BsnDecryptionError(Exception):
    """A stored value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS (configuration error)."""


def field_fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (newest first); rebuilt when the setting changes."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if keys not in _fernets:
        _fernets[keys] = MultiFernet([Fernet(k) for k in keys])
    return _fernets[keys]


def normalise_bsn(value) -> str:
    """Digits only: '1234.56.782' and '123 456 782' become '123456782'."""
    return re.sub(r"[\s.\-]", "", str(value or ""))


def bsn_hash(value) -> str:
    """The keyed lookup hash of a BSN (64 hex characters), or "" for no BSN."""
    digits = normalise_bsn(value)
    if not digits:
        return ""
    return hmac.new(settings.BSN_HASH_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


class EncryptedBsnField(EncryptedCharField):
    """A BSN, encrypted at rest. Python value: the 9 digits or "" (stored as NULL). Never filter on it."""

    description = "BSN, Fernet-encrypted at rest"

    @property
    def keys(self) -> list[bytes]:
        return [k.encode() for k in settings.FIELD_ENCRYPTION_KEYS]

    @property
    def f(self) -> MultiFernet:
        return field_fernet()

    def get_lookup(self, lookup_name):
        # The ciphertext is random per write: an equality filter could never match. Search via bsn_hash.
        if lookup_name != "isnull":
            raise FieldError("An encrypted BSN cannot be searched; filter on its bsn_hash column instead.")
        return super().get_lookup(lookup_name)

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def clean(self, value, model_instance):
        # The instance holds the plaintext: validate it as is. (The library sets a flag on the shared field
        # for this and leaves it set when validation fails, after which every read returned ciphertext.)
        value = "" if value is None else value
        self.validate(value, model_instance)
        self.run_validators(value)
        return value

    def to_python(self, value):
        if value is None or value == "":
            return ""
        if not isinstance(value, str) or _PLAIN_BSN.match(value):
            return value
        try:
            return self.f.decrypt(value.encode()).decode()
        except (InvalidToken, UnicodeError):
            raise BsnDecryptionError(
                "A stored BSN cannot be decrypted with FIELD_ENCRYPTION_KEYS (wrong or removed key)."
            ) from None


class BsnHashField(models.CharField):
    """HMAC-SHA-256 of the BSN in `source`, recomputed on every save (also in bulk_create)."""

    def __init__(self, *args, source="bsn", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = bsn_hash(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
