"""The lessons' exercise checkers and solutions: one module per lesson, installed with minigrad, so a lesson
notebook runs on its own with only `pip install` of this project.

    from minigrad.lessons import lesson_03 as check
    check.untracked_triple(answer, x)      # prints "Correct! ..." or "Not yet: <a hint>"; never raises
    check.solution("untracked_triple")     # the solution, folded until you click "Show the solution"

Every checker recomputes the expected value independently (a formula worked out by hand, evaluated with
NumPy), reads minigrad and PyTorch tensors alike, and never raises. Each module's SOLUTIONS holds, per
exercise, self-contained code that rebuilds what it uses and ends with the checker call; `solution(name)`
runs it (on whichever library the notebook imported as `torch`) and shows it folded.

>>> from minigrad.lessons import say
>>> say(False, hint="Set `answer = ...` first.")
Not yet: Set `answer = ...` first.
"""
from ._tools import as_array, checker, say

__all__ = ["as_array", "checker", "say"]
