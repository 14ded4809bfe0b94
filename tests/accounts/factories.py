import factory

from apps.accounts.services import user_set_role
from tests.factories import UserFactory as BaseUserFactory


class UserFactory(BaseUserFactory):
    """A user; pass role="editor" (etc.) to give it that role the way createuser does."""

    @factory.post_generation
    def role(user, create, role, **kwargs):
        if create and role:
            user_set_role(user=user, role=role)
