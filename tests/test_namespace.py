"""minigrad's top-level namespace: __all__ names every public name (docs/api.md and `import *` read it)."""
import inspect

import minigrad


def test_all_lists_every_public_name_and_nothing_else():
    public = {n for n in dir(minigrad)
              if not n.startswith("_") and n != "annotations" and not inspect.ismodule(getattr(minigrad, n))}
    listed = set(minigrad.__all__)
    assert public - listed == set(), "public names missing from minigrad.__all__"
    assert {n for n in listed if not hasattr(minigrad, n)} == set(), "names in __all__ that minigrad lacks"
    assert len(minigrad.__all__) == len(listed), "a name listed twice in __all__"


def test_star_import_gives_the_torch_style_functions():
    scope: dict = {}
    exec("from minigrad import *", scope)
    assert scope["tensor"] is minigrad.tensor and scope["exp"] is minigrad.exp and scope["nn"] is minigrad.nn
