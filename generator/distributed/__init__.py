"""Bulk runs across machines (分散実行): Celery with Redis as broker.

The run's coordinator (``python -m generator run --broker``, or the HTTP service) plans the
run and records its results; ``python -m generator worker`` on each machine renders the
batches it is sent, with the same code a local run uses, so the bytes are the same.
"""

from generator.distributed.remote import CeleryBatches

__all__ = ["CeleryBatches"]
