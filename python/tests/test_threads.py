"""read()'s iterator from other threads: the same dicts, each message handed out once."""

import json
import threading

import pytest

import tgexport
from conftest import INPUTS, fixture_id


def outcome(messages):
    """What consuming `messages` gives: the dicts read before it stopped, and the error
    that stopped it (None at a clean end)."""
    read = []
    try:
        for message in messages:
            read.append(message)
    except tgexport.Error as error:
        return read, str(error)
    return read, None


def on_a_thread(function, *args):
    """`function(*args)` run on a new thread; its exception, if any, raised here."""
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        except BaseException as error:  # a PanicException is a BaseException
            result["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def channel(tmp_path):
    """A result.json of 3000 messages: enough for two threads' reads to interleave."""
    messages = [
        {
            "id": number,
            "type": "message",
            "date": f"2024-03-01T{number // 3600 % 24:02}:{number // 60 % 60:02}:{number % 60:02}",
            "from": "Tide Tables",
            "from_id": "channel1234",
            "text": f"Reading number {number} #tide",
            "text_entities": [{"type": "plain", "text": f"Reading number {number} #tide"}],
        }
        for number in range(1, 3001)
    ]
    path = tmp_path / "result.json"
    path.write_text(
        json.dumps(
            {"name": "Tide Tables", "type": "public_channel", "id": 1234, "messages": messages},
            indent=1,
        )
    )
    return path


@pytest.mark.filterwarnings("ignore::tgexport.TgexportWarning")
@pytest.mark.parametrize("path", INPUTS, ids=fixture_id)
def test_another_thread_reads_the_same_dicts(path):
    here = outcome(tgexport.read(path))
    # Made here, read there: an iterator is not tied to the thread that made it.
    assert on_a_thread(outcome, tgexport.read(path)) == here


def test_an_iterator_started_here_is_finished_there(channel):
    expected = list(tgexport.read(channel))
    messages = tgexport.read(channel)
    first = [next(messages) for _ in range(10)]
    rest = on_a_thread(list, messages)
    assert first + rest == expected
    assert list(messages) == []


@pytest.mark.parametrize("threads", [2, 4])
def test_threads_sharing_one_iterator_get_every_message_once(channel, threads):
    expected = list(tgexport.read(channel))
    messages = tgexport.read(channel)
    start = threading.Barrier(threads)
    taken = [[] for _ in range(threads)]

    def take(mine):
        start.wait()
        for message in messages:
            mine.append(message)

    workers = [threading.Thread(target=take, args=(mine,)) for mine in taken]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    every = [message for mine in taken for message in mine]
    assert len(every) == len(expected) == 3000
    assert sorted(every, key=lambda message: message["index"]) == expected
    # Each thread's share is in input order: the input is read once, front to back.
    for mine in taken:
        indexes = [message["index"] for message in mine]
        assert indexes == sorted(indexes)


def test_an_error_is_raised_once_among_threads(tmp_path, channel):
    # tgexport's own JSON Lines with the 2000th line cut short: an error, not a warning.
    lines = [json.dumps(message) for message in tgexport.read(channel)]
    lines[1999] = lines[1999][:-5]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n")
    expected, error = outcome(tgexport.read(broken))
    assert error is not None and len(expected) == 1999

    messages = tgexport.read(broken)
    start = threading.Barrier(2)
    results = [None, None]

    def take(slot):
        start.wait()
        results[slot] = outcome(messages)

    workers = [threading.Thread(target=take, args=(slot,)) for slot in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    errors = [raised for _, raised in results if raised is not None]
    assert errors == [error]
    every = sorted(
        (message for read, _ in results for message in read),
        key=lambda message: message["index"],
    )
    assert every == expected
