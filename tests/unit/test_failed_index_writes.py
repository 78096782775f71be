"""The retry list of index writes that failed after a commit (matching/engine.py)."""

from marketplace.matching.engine import FailedWrites


def test_failures_are_kept_by_index_and_id_with_their_error(tmp_path):
    failures = FailedWrites(tmp_path / "search")
    assert failures.read() == {"opportunities": {}, "candidates": {}}
    failures.record("candidates", [3, 4], OSError("No space left on device"))
    kept = failures.read()["candidates"]
    assert set(kept) == {"3", "4"}
    assert kept["3"]["error"] == "OSError: No space left on device"
    assert FailedWrites(tmp_path / "search").read() == failures.read()  # on disk


def test_a_retry_forgets_only_the_failures_it_saw(tmp_path):
    failures = FailedWrites(tmp_path)
    failures.record("candidates", [3, 4], OSError("down"))
    seen = failures.read()["candidates"]
    failures.record("candidates", [3], OSError("down again"))  # a newer change failed meanwhile
    failures.forget("candidates", seen)
    assert set(failures.read()["candidates"]) == {"3"}
    assert failures.read()["candidates"]["3"]["error"] == "OSError: down again"
