"""Guard rails of the test suite itself (issue 11, point 6): seeded fake data, a hypothesis CI profile."""

import zlib

import factory
import factory.random
from hypothesis import settings as hypothesis_settings

from tests.conftest import TEST_SEED


class PersonFactory(factory.DictFactory):
    first_name = factory.Faker("first_name", locale="nl_NL")  # as in tests/factories.py UserFactory
    last_name = factory.Faker("last_name", locale="nl_NL")
    number = factory.LazyFunction(lambda: factory.random.randgen.randint(0, 10**9))


def _names():
    return [tuple(p.values()) for p in PersonFactory.build_batch(3)]


def test_factories_are_seeded_per_test(request):
    first = _names()  # right after the autouse reseed for this test
    factory.random.reseed_random(TEST_SEED ^ zlib.crc32(request.node.nodeid.encode()))
    assert _names() == first
    factory.random.reseed_random(TEST_SEED + 1)
    assert _names() != first


def test_hypothesis_ci_profile_has_no_deadline_and_fixed_examples():
    ci = hypothesis_settings.get_profile("ci")
    assert ci.deadline is None and ci.derandomize and ci.max_examples == 100
