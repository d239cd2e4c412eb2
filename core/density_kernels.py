"""Kernel shapes and output values of QGIS's heatmap, and the settings of one kernel density.

The formulas and constants are QGIS's (``qgskde.cpp``); see :mod:`.density`
for the definition of the kernel sum and the grid it is computed on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Callable

import numpy as np

from .errors import MewError


class Kernel(IntEnum):
    """Kernel shapes, in the order of QGIS's heatmap ``KERNEL`` enum."""

    QUARTIC = 0
    TRIANGULAR = 1
    UNIFORM = 2
    TRIWEIGHT = 3
    EPANECHNIKOV = 4


class OutputValue(IntEnum):
    """``raw`` and ``scaled`` as QGIS's ``OUTPUT_VALUE``; ``density`` integrates to the weights."""

    RAW = 0
    SCALED = 1
    DENSITY = 2
    #: ``scaled`` as QGIS computed it before 3.40.4: the quartic with 116/(5πr²) (other kernels alike).
    SCALED_BEFORE_QGIS_3_40_4 = 3


#: The first QGIS (as ``Qgis.QGIS_VERSION_INT``) whose scaled quartic uses 16/(5πr²).
QGIS_QUARTIC_FIXED = 34004


def scaled_as_qgis(qgis_version: int) -> OutputValue:
    """The output value that reproduces the ``scaled`` heatmap of that QGIS (``Qgis.QGIS_VERSION_INT``)."""
    return OutputValue.SCALED if qgis_version >= QGIS_QUARTIC_FIXED else OutputValue.SCALED_BEFORE_QGIS_3_40_4


#: Units written into the output's metadata for each output value.
OUTPUT_UNITS = {
    OutputValue.RAW: "sum of weight × kernel (kernel peak = 1)",
    OutputValue.SCALED: "QGIS 'scaled' heatmap units (QGIS >= 3.40.4 kernel constants, per map unit²)",
    OutputValue.SCALED_BEFORE_QGIS_3_40_4: "QGIS 'scaled' heatmap units (QGIS < 3.40.4 kernel constants: the "
    "quartic with 116/(5πr²), per map unit²)",
    OutputValue.DENSITY: "weighted incidents per km² (integrates to the weighted count)",
}


#: Smooth kernels whose second derivative is bounded; binning error is bounded for these.
SMOOTH_KERNELS = (Kernel.QUARTIC, Kernel.TRIWEIGHT)


@dataclass(frozen=True)
class KernelSettings:
    """The kernel of one density: radius (map units; metres for ``density`` output), shape, output value, decay.

    ``decay`` shapes the triangular kernel only, as QGIS's ``DECAY`` does.
    Shapes and output values may be given as QGIS's enum numbers.
    """

    radius: float
    kernel: Kernel = Kernel.QUARTIC
    output: OutputValue = OutputValue.RAW
    decay: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "kernel", Kernel(self.kernel))
        object.__setattr__(self, "output", OutputValue(self.output))

    @property
    def smooth(self) -> bool:
        """Whether linear binning's error is bounded for this kernel (see :func:`subdivisions`)."""
        return self.kernel in SMOOTH_KERNELS

    def reach(self, pixel_size: float) -> int:
        """Pixels from a point's pixel to the farthest pixel centre its kernel can reach (one more than the
        radius in pixels, as a point lies anywhere within its pixel)."""
        return math.ceil(self.radius / pixel_size) + 1


def kernel_function(settings: KernelSettings) -> Callable[[np.ndarray], np.ndarray]:
    """``K(distance)`` (zero beyond the radius) with QGIS's formulas and constants.

    ``density`` values are per km² when distances are in metres.
    """
    kernel, output, radius, decay = settings.kernel, settings.output, settings.radius, settings.decay
    if not radius > 0:
        raise MewError("The radius must be greater than zero (got {radius}).", radius=radius)
    r2 = radius * radius

    if kernel is Kernel.QUARTIC:

        def shape(u):
            return (1.0 - u * u) ** 2

        numerator = 116.0 if output is OutputValue.SCALED_BEFORE_QGIS_3_40_4 else 16.0
        scaled, density = numerator / (5.0 * math.pi * r2) * 15.0 / 16.0, 3.0 / (math.pi * r2)
    elif kernel is Kernel.TRIWEIGHT:

        def shape(u):
            return (1.0 - u * u) ** 3

        scaled, density = 128.0 / (35.0 * math.pi * r2) * 35.0 / 32.0, 4.0 / (math.pi * r2)
    elif kernel is Kernel.EPANECHNIKOV:

        def shape(u):
            return 1.0 - u * u

        scaled, density = 8.0 / (3.0 * math.pi * r2) * 3.0 / 4.0, 2.0 / (math.pi * r2)
    elif kernel is Kernel.UNIFORM:

        def shape(u):
            return np.ones_like(u)

        scaled = 2.0 / (math.pi * radius) * (0.5 / radius)
        density = 1.0 / (math.pi * r2)
    else:

        def shape(u):
            return 1.0 - (1.0 - decay) * u

        # QGIS leaves a negative decay ("coolmap") unscaled.
        scaled = 3.0 / ((1.0 + 2.0 * decay) * math.pi * r2) if decay >= 0 else 1.0
        if 1.0 + 2.0 * decay <= 0 and output is OutputValue.DENSITY:
            raise MewError(
                "A triangular kernel with decay {decay} has no positive integral: use a decay above -0.5 for "
                "density output, or raw values.",
                decay=decay,
            )
        density = 3.0 / ((1.0 + 2.0 * decay) * math.pi * r2) if 1.0 + 2.0 * decay > 0 else 1.0
    factor = 1.0 if output is OutputValue.RAW else density * 1e6 if output is OutputValue.DENSITY else scaled

    def evaluate(distance: np.ndarray) -> np.ndarray:
        distance = np.asarray(distance, dtype=float)
        u = distance / radius
        return np.where(distance <= radius, factor * shape(u), 0.0)

    return evaluate


#: max over the disc of |K_xx| + |K_yy| for the raw kernel, in units of 1/r² (measured numerically).
_CURVATURE = {Kernel.QUARTIC: 8.0, Kernel.TRIWEIGHT: 12.0}


def subdivisions(settings: KernelSettings, pixel_size: float, tolerance: float = 4.5e-4) -> int:
    """Lattice refinement ``S`` keeping linear-binning error below ``tolerance`` of a kernel's peak.

    Binning a point onto the four lattice nodes around it evaluates, at each
    pixel centre, the bilinear interpolation of the kernel between those
    nodes; its error is at most ``g²/8 · max(|K_xx| + |K_yy|)`` for a lattice
    step ``g = pixel/S``: ``(g/r)²`` for the quartic, ``1.5 (g/r)²`` for the
    triweight. A 5 km quartic on 100 m pixels needs no refinement (4·10⁻⁴).
    Kernels with a kink or a step (triangular, uniform, Epanechnikov) get the
    finest lattice offered; their fast error is not bounded this way (use exact).
    """
    if settings.kernel not in _CURVATURE:
        return 4
    step = settings.radius * math.sqrt(8.0 * tolerance / _CURVATURE[settings.kernel])
    return int(min(max(math.ceil(pixel_size / step - 1e-9), 1), 8))
