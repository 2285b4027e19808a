"""A room on the workshop hub: N simulated attendees (WORKSHOP_N, default 3) through lessons 05 and 06 at
once, then the faults a room meets: a kernel killed mid-lesson, an attendee who edited a lesson and
follows the link again, a wrong password, an attendee trying to read another's files.

One hub for the module (`room`, tests/workshop/conftest.py); everything it made is removed when the
module ends, pass or fail.
The load test's table is printed at the end of the run (tests/workshop/conftest.py).
"""
from __future__ import annotations

import ast
import os
import pwd
import signal
import time
from pathlib import Path

import pytest

from tests.browser import lab
from workshop import loadtest
from workshop.hub import group_members

pytestmark = [pytest.mark.workshop, pytest.mark.timeout(1800)]
LESSON_05, LESSON_06 = loadtest.LESSONS

RUN_IN_KERNEL = f"""async (code) => {{
  const k = {lab._PANEL}.sessionContext.session.kernel;
  const f = k.requestExecute({{code, store_history: false}});
  let text = '';
  f.onIOPub = m => {{ if (m.header.msg_type === 'stream') text += m.content.text;
                      if (m.header.msg_type === 'error') text += m.content.ename + ': ' + m.content.evalue; }};
  await f.done;
  return text;
}}"""


@pytest.fixture
def saw(report):
    """saw(text): one line for the run's closing report, what a fault test saw."""
    return lambda what: report.append(f"fault test: {what}")


def _run(page, code: str) -> str:
    return page.evaluate(RUN_IN_KERNEL, code)


def _follow(r, attendee, lesson: str) -> None:
    """The attendee follows the lesson's link again (already logged in) and waits for the lesson."""
    attendee.lab_ready.pop(lesson, None)
    loadtest.open_lesson([attendee], r.hub, r.git.url, lesson, 120)
    assert lesson in attendee.lab_ready, attendee.problems


def test_every_attendee_is_served(room):
    result = room.result
    assert result.served == result.attendees and not result.failures, result.table()
    for row in result.rows:  # each attendee really ran both lessons in a kernel of their own
        assert set(row["run_time"]) == set(loadtest.LESSONS), row
        assert set(row["first_graph"]) == set(loadtest.LESSONS), f"no picture seen after Run All: {row}"
        assert all(mb > 20 for mb in row["kernel_mb"].values()), row
    kernels = [a.kernel_pid[lesson] for a in room.attendees for lesson in loadtest.LESSONS]
    assert len(set(kernels)) == len(kernels), "two attendees or lessons shared a kernel"
    for a in room.attendees:  # each attendee's clone of the repository is in their own home, theirs
        notebook = Path(f"/home/{a.name}/minigrad/notebooks/{LESSON_05}")
        assert notebook.is_file() and notebook.stat().st_uid == pwd.getpwnam(a.name).pw_uid
        assert Path(f"/home/{a.name}").stat().st_mode & 0o777 == 0o700


def test_a_wrong_password_is_refused(room, saw):
    context = room.browser.new_context()
    try:
        page = context.new_page()
        tries = {f"w{room.hub.group[3:]}x": "not-the-password",      # a new name, wrong password
                 room.attendees[0].name: room.hub.password + "x",    # an attendee's name, wrong password
                 "root": room.hub.password,                           # right password, a system account
                 "Bad Name!": room.hub.password}                      # right password, not a valid name
        for name, password in tries.items():
            page.goto(room.hub.url("/hub/login"))
            page.fill("#username_input", name)
            page.fill("#password_input", password)
            with page.expect_navigation():
                page.click("#login_submit")
            assert "/hub/login" in page.url, (name, page.url)
            assert "Invalid username or password" in page.inner_text("body"), name
        with pytest.raises(KeyError):
            pwd.getpwnam(f"w{room.hub.group[3:]}x")  # no account was made for the refused name
        assert "root" not in group_members(room.hub.group)
        # the right password still works, so the refusals above were about the password or the name
        page.goto(room.hub.url("/hub/login"))
        loadtest.log_in(page, room.hub, room.attendees[0].name, room.hub.password)
        page.wait_for_url(f"**/user/{room.attendees[0].name}/**", timeout=60_000)
        saw(f"login refused for {len(tries)} wrong name/password pairs (no account made); the right one let in")
    finally:
        context.close()


def test_an_attendee_cannot_open_anothers_files(room, saw):
    if len(room.attendees) < 2:
        pytest.skip("needs two attendees")
    me, other = room.attendees[0], room.attendees[1]
    page = me.page
    theirs = f"/home/{other.name}/minigrad/notebooks/{LESSON_05}"
    mine = f"/home/{me.name}/minigrad/notebooks/{LESSON_05}"
    probe = ("def probe(f):\n"
             "    try:\n        f(); return 'allowed'\n"
             "    except Exception as e:\n        return type(e).__name__\n"
             f"print(repr([probe(lambda: open({mine!r}).read(1)), probe(lambda: open({theirs!r}).read(1)), "
             f"probe(lambda: os.listdir({os.path.dirname(os.path.dirname(os.path.dirname(theirs)))!r})), "
             f"probe(lambda: open({theirs!r}, 'a').close())]))")
    seen = ast.literal_eval(_run(page, "import os\n" + probe).strip())
    assert seen == ["allowed", "PermissionError", "PermissionError", "PermissionError"], seen
    # nor through the hub: my browser asking for their server is not let in
    other_page = me.context.new_page()
    try:
        response = other_page.goto(room.hub.url(f"/user/{other.name}/api/contents/minigrad/notebooks"))
        assert response.status in (403, 404) or f"/user/{me.name}/" in other_page.url, \
            (response.status, other_page.url, other_page.inner_text("body")[:300])
        assert LESSON_05 not in other_page.inner_text("body")
        saw(f"{me.name} reading {other.name}'s lesson / home / writing it: {seen[1:]}; "
             f"through the hub: HTTP {response.status}")
    finally:
        other_page.close()


def test_edits_survive_following_the_link_again(room, saw):
    """nbgitpuller's merge: the attendee's edit stays, a file they deleted comes back, and what the
    instructor pushed since arrives."""
    a = room.attendees[-1]
    _follow(room, a, LESSON_05)
    marker = f"# my own note {time.time_ns()}"
    edited = a.page.evaluate(f"""(marker) => {{
        const p = {lab._PANEL};
        const cell = p.content.model.sharedModel.cells.find(c => c.cell_type === 'code');
        cell.setSource(marker + '\\n' + cell.getSource());
        return window.jupyterapp.commands.execute('docmanager:save').then(() => cell.getSource());
    }}""", marker)
    assert edited.startswith(marker)
    clone = Path(f"/home/{a.name}/minigrad")
    assert marker in (clone / "notebooks" / LESSON_05).read_text(), "JupyterLab did not save the edit"
    deleted = clone / "notebooks" / "04_calculating_gradients.ipynb"
    _run(a.page, f"import os; os.remove({str(deleted)!r})")
    assert not deleted.exists()
    room.git.commit_upstream("notebooks/UPSTREAM_FIX.md", "A fix pushed during the workshop\n", "fix")

    _follow(room, a, LESSON_05)

    assert marker in (clone / "notebooks" / LESSON_05).read_text(), "the edit was lost"
    shown = a.page.evaluate(f"() => {lab._PANEL}.content.model.sharedModel.cells"
                            ".find(c => c.cell_type === 'code').getSource()")
    assert shown.startswith(marker), shown[:200]
    assert deleted.is_file(), "nbgitpuller did not bring back the deleted lesson"
    assert (clone / "notebooks" / "UPSTREAM_FIX.md").is_file(), "the instructor's new commit did not arrive"
    saw("after following the link again: the attendee's edit kept, a deleted lesson restored, "
         "the instructor's new commit pulled")


def test_a_killed_kernel_gives_a_clear_message_and_a_working_restart(room, saw):
    a = room.attendees[0]
    _follow(room, a, LESSON_06)
    page = a.page
    before = ast.literal_eval(page.evaluate(loadtest.WHO_AM_I).strip())[1]
    page.evaluate("() => { window.__minigradDialogs.length = 0; }")
    page.evaluate(loadtest.RUN_ALL)
    assert lab._wait(page, "() => window.__firstGraphAt > 0", 120), "no picture before the kill"
    os.kill(before, signal.SIGKILL)  # the kernel dies mid-lesson (out of memory, a crash)

    dialog = lab._wait(page, "() => (window.__minigradDialogs || []).join(' | ')", 60)
    assert dialog and "died" in dialog and "restart" in dialog.lower(), dialog
    page.locator(".jp-Dialog .jp-mod-accept").first.click(timeout=10_000)
    page.evaluate("() => { window.__minigradDialogs.length = 0; }")
    assert lab._wait(page, loadtest.LESSON_READY, 120, LESSON_06) == "idle", "no kernel after the restart"

    after = ast.literal_eval(page.evaluate(loadtest.WHO_AM_I).strip())[1]
    assert after != before, "the kernel was not restarted"
    a.problems.clear()
    a.run_time.pop(LESSON_06, None)
    loadtest.run_all([a], LESSON_06, 300)
    loadtest.check_outputs(a, LESSON_06)
    assert LESSON_06 in a.run_time and not a.problems, a.problems
    saw(f"kernel {before} killed mid-lesson: JupyterLab said {dialog[:160]!r}; restarted as {after}, "
         f"Run All again passed every check in {a.run_time[LESSON_06]:.1f} s")
