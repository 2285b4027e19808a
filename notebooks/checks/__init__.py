"""Exercise checkers for the lesson notebooks: one module per lesson, `from checks import lesson_03 as check`.

Every checker takes the learner's `answer`, recomputes the expected value independently (a formula worked
out by hand, evaluated with NumPy) and prints either "Correct! ..." or a hint. It never raises: a wrong or
missing answer is a message, not a traceback. The shared helpers live in `_lesson_tools`:

>>> from checks import say
>>> say(False, hint="Set `answer = ...` first.")
Not yet: Set `answer = ...` first.
"""
from ._lesson_tools import as_array, say

__all__ = ["as_array", "say"]
