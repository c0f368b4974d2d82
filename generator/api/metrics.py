"""Prometheus metrics, read from the service's counters when scraped."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from generator.api.service import Service

_REGISTRIES: dict[int, CollectorRegistry] = {}


class _ServiceCollector(Collector):
    def __init__(self, service: Service) -> None:
        self.service = service

    def collect(self) -> Iterator[Metric]:
        service = self.service
        coalescer = service._coalescer
        pool = service.pool
        yield GaugeMetricFamily(
            "generator_queue_depth",
            "Single-document requests waiting or rendering.",
            value=coalescer.depth if coalescer else 0,
        )
        yield GaugeMetricFamily(
            "generator_converter_waiting",
            "Conversions waiting for a free LibreOffice process.",
            value=pool.stats.waiting if pool else 0,
        )
        stats = pool.stats if pool else None
        for name, text in (
            ("conversions", "LibreOffice conversions done."),
            ("failures", "LibreOffice conversions that failed (each retried once)."),
            ("restarts", "LibreOffice processes restarted."),
        ):
            yield CounterMetricFamily(
                f"generator_libreoffice_{name}", text, value=getattr(stats, name) if stats else 0
            )
        yield CounterMetricFamily(
            "generator_documents",
            "Single documents rendered.",
            value=coalescer.stats.documents if coalescer else 0,
        )
        yield CounterMetricFamily(
            "generator_pages",
            "Pages of single documents rendered.",
            value=coalescer.stats.pages if coalescer else 0,
        )
        yield CounterMetricFamily(
            "generator_rejected",
            "Requests answered 429 (queue full).",
            value=coalescer.stats.rejected if coalescer else 0,
        )
        runs = GaugeMetricFamily("generator_runs", "Bulk runs by state.", labels=["state"])
        for state, count in sorted(service.runs.counts_by_state().items()):
            runs.add_metric([state], count)
        yield runs
        yield GaugeMetricFamily(
            "generator_up", "Whether LibreOffice is running.", value=0 if pool is None else 1
        )


def registry_for(service: Service) -> CollectorRegistry:
    """The service's registry (one per service, so tests with many apps do not collide)."""
    if id(service) not in _REGISTRIES:
        registry = CollectorRegistry(auto_describe=True)
        registry.register(_ServiceCollector(service))
        _REGISTRIES[id(service)] = registry
    return _REGISTRIES[id(service)]
