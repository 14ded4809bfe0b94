"""The embedded broker delivers every message exactly once with concurrent producers.

Producers are processes, as in production (web server, workers): kombu keeps per-process
state that threads would share.
"""

import multiprocessing

from kombu import Connection

from apps.core.broker import Transport

MESSAGES = 2000
# A large body widens the window between creating a message file and writing it.
BODY = "x" * 50_000


def connection(folder) -> Connection:
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    return Connection(transport=Transport, transport_options=options)


def produce(folder, offset: int) -> None:
    with connection(folder) as conn, conn.SimpleQueue("race") as queue:
        for number in range(offset, MESSAGES, 2):
            queue.put({"n": number, "body": BODY})


def test_no_message_is_lost_or_half_read_while_producers_write(tmp_path):
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()

    context = multiprocessing.get_context("fork")
    producers = [context.Process(target=produce, args=(tmp_path, offset)) for offset in (0, 1)]
    for producer in producers:
        producer.start()
    received = []
    with connection(tmp_path) as conn, conn.SimpleQueue("race") as queue:
        while len(received) < MESSAGES:
            message = queue.get(timeout=10)
            received.append(message.payload["n"])
            message.ack()
    for producer in producers:
        producer.join()

    assert sorted(received) == list(range(MESSAGES))
    assert not list((tmp_path / "queue").iterdir())
