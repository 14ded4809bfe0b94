from django.apps import AppConfig


class RadarConfig(AppConfig):
    """The technology radar: technologies by quadrant and ring (docs/radar.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.radar"
