"""The REST API (django-ninja): one Router per area, mounted on config.api's NinjaAPI."""
