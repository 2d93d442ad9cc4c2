"""A demo API client for 's-Hertogenbosch (GM0796) with every scope, acting for the demo accounts, so the curl
examples of docs/api.md work against the demo. Its secret is fixed and printed: demo mode only (DEMO=1 is
refused in production). Idempotent."""

from doorbraak.api.models import SCOPES, ApiClient, secret_hash
from doorbraak.api.services import create_client
from doorbraak.core.models import Municipality, User

DEMO_CLIENT_ID = "demo-zaaksysteem"
DEMO_CLIENT_SECRET = "doorbraak-demo-api-geheim"  # noqa: S105 (demo only, printed on purpose)


def load(stdout=None):
    municipality = Municipality.objects.get(code="GM0796")
    users = list(User.objects.filter(municipality=municipality, is_demo=True, is_active=True))
    client = ApiClient.objects.filter(client_id=DEMO_CLIENT_ID).first()
    if client is None:
        client, _secret = create_client(
            municipality,
            name="Demo-zaaksysteem",
            scopes=sorted(SCOPES),
            acting_users=users,
            client_id=DEMO_CLIENT_ID,
            secret=DEMO_CLIENT_SECRET,
        )
    else:
        ApiClient.objects.filter(pk=client.pk).update(secret_hash=secret_hash(DEMO_CLIENT_SECRET), is_active=True)
        client.acting_users.add(*users)
    if stdout is not None:
        stdout.write(
            f"api: demo client client_id={DEMO_CLIENT_ID} client_secret={DEMO_CLIENT_SECRET} "
            "(acts for the demo accounts, e.g. Acting-User: demo-lead; docs/api.md)"
        )
    return client
