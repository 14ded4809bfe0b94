"""`{% theme_clusters theme %}`: the theme page's block, so knowledge need not import clusters."""

from django import template

from apps.clusters.selectors import theme_clusters as strongest

register = template.Library()


@register.inclusion_tag("clusters/_theme_clusters.html")
def theme_clusters(theme, limit: int = 5) -> dict:
    return {"theme": theme, "clusters": strongest(theme, limit=limit)}
