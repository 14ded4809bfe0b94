"""Clusters of signals that describe the same change, and what editors said about them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from apps.knowledge.models import Signal


class SignalVector(models.Model):
    """A signal's embedding, kept so that no new signal makes the others be embedded again.

    `text_hash` tells an edited signal (its vector is stale), `method` a vector made by another
    embedding method (never compared with this method's vectors)."""

    signal = models.OneToOneField(
        Signal, on_delete=models.CASCADE, primary_key=True, related_name="cluster_vector"
    )
    method = models.CharField(max_length=200)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()  # float32, unit length
    embedded_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["method"], name="clusters_vector_method")]

    def __str__(self) -> str:
        return f"{self.method} vector of signal {self.signal_id}"


class Cluster(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", "proposed"
        CONFIRMED = "confirmed", "confirmed"

    name = models.CharField(max_length=300)
    # An editor named it: the machine never renames it again.
    name_curated = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    method = models.CharField(max_length=200)
    centroid = models.BinaryField(null=True, blank=True)  # unit mean of the members' vectors
    # The evidence rule's figure (docs/clusters.md), refreshed when members change and by
    # `manage.py clusters update`; ranks the clusters.
    strength = models.FloatField(default=0.0)
    source_count = models.PositiveIntegerField(default=0)
    evidence_at = models.DateTimeField(null=True, blank=True)  # the last member added
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-strength", "-evidence_at", "-id"]
        indexes = [
            models.Index(fields=["-strength", "-evidence_at"], name="clusters_rank"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", args=[self.pk])


class ClusterMember(models.Model):
    """A signal in a cluster: a signal is in one cluster at most."""

    class AddedBy(models.TextChoices):
        MACHINE = "machine", "machine"
        EDITOR = "editor", "editor"

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="cluster_member")
    similarity = models.FloatField(null=True, blank=True)  # to the cluster when it joined
    added_by = models.CharField(max_length=10, choices=AddedBy.choices, default=AddedBy.MACHINE)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["cluster", "added_at"], name="clusters_member_added")]

    def __str__(self) -> str:
        return f"{self.signal_id} in {self.cluster_id}"


class NotSame(models.Model):
    """Two signals an editor said are different changes: never proposed together again.

    Stored once per pair, the smaller id first."""

    signal_a = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    signal_b = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signal_a", "signal_b"], name="clusters_not_same_once"),
            models.CheckConstraint(
                condition=Q(signal_a__lt=F("signal_b")), name="clusters_not_same_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal_a_id} is not {self.signal_b_id}"
