"""The embedded broker delivers every message exactly once with concurrent producers."""

import threading

from kombu import Connection

from apps.core.broker import Transport

MESSAGES = 600


def connection(folder) -> Connection:
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    return Connection(transport=Transport, transport_options=options)


def test_no_message_is_lost_or_half_read_while_producers_write(tmp_path):
    for name in ("queue", "processed", "control"):
        (tmp_path / name).mkdir()

    def produce(offset: int) -> None:
        with connection(tmp_path) as conn, conn.SimpleQueue("race") as queue:
            for number in range(offset, MESSAGES, 2):
                queue.put({"n": number})

    producers = [threading.Thread(target=produce, args=(offset,)) for offset in (0, 1)]
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
