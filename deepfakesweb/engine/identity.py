"""Who to swap when multiple_faces is off: the most prominent person, recognised by dlib descriptor."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deepfakesweb.engine.analyse import descriptor_distance
from deepfakesweb.engine.options import Descriptor

__all__ = ["Sighting", "choose_prominent"]


@dataclass(frozen=True)
class Sighting:
    descriptor: Descriptor
    area: float  # face area in pixels: bigger and more frequent means more prominent


def choose_prominent(sightings: list[Sighting], threshold: float) -> Descriptor | None:
    """Cluster sightings by identity; the cluster with the largest summed face area wins."""
    clusters: list[list[Sighting]] = []
    for s in sorted(sightings, key=lambda s: -s.area):
        for cluster in clusters:
            if descriptor_distance(cluster[0].descriptor, s.descriptor) < threshold:
                cluster.append(s)
                break
        else:
            clusters.append([s])
    if not clusters:
        return None
    best = max(clusters, key=lambda c: sum(s.area for s in c))
    return np.mean([s.descriptor for s in best], axis=0)
