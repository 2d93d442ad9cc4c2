from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with tiny cost parameters. Only listed in PASSWORD_HASHERS for DOORBRAAK_ENV=test."""

    algorithm = "argon2"
    time_cost = 1
    memory_cost = 64
    parallelism = 1
