from django.urls import reverse

from apps.digests.models import DigestPreference
from apps.digests.services import theme_follow
from tests.accounts.factories import UserFactory


def test_the_admin_lists_follows_and_digest_state(client, rita, tidal):
    theme_follow(user=rita, theme=tidal)
    DigestPreference.objects.create(user=rita)
    client.force_login(UserFactory(username="ada", is_staff=True, is_superuser=True))

    for model in ("follow", "digestpreference"):
        response = client.get(reverse(f"admin:digests_{model}_changelist"))
        assert response.status_code == 200
        assert "rita" in response.content.decode()
