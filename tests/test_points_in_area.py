"""The point-in-area test the early-warning engines share: edge included, only the candidates asked about."""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon

from mission_early_warning.core.points_in_area import covered_points

SQUARE = Polygon([(0, 0), (2, 0), (2, 2), (0, 2)])
# inside, on the edge, on a corner, outside within the bounding box of the L below, far outside
XY = np.array([[1.0, 1.0], [2.0, 1.0], [0.0, 0.0], [1.5, 1.5], [5.0, 5.0]])


def test_points_inside_and_on_the_edge_are_covered():
    assert covered_points(SQUARE, XY).tolist() == [0, 1, 2, 3]


def test_a_point_in_the_bounding_box_but_outside_the_area_is_not():
    l_shape = Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
    assert covered_points(l_shape, XY).tolist() == [0, 1, 2]


def test_only_the_candidates_are_tested():
    assert covered_points(SQUARE, XY, np.array([1, 3, 4])).tolist() == [1, 3]
    assert covered_points(SQUARE, XY, np.array([], dtype=np.int64)).tolist() == []
