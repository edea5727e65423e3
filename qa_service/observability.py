"""Logs and metrics: one JSON object per log line, each carrying the request id of the request
that wrote it, and Prometheus metrics at /metrics.

Questions never reach the logs unless an operator sets `WISDOM_LOG_QUESTIONS=true`: the request
log line records method, route, status and duration only."""

from __future__ import annotations

import contextvars
import json
import logging
import time
from typing import TYPE_CHECKING, Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

if TYPE_CHECKING:
    from collections.abc import Iterable

    from qa_service.index_holder import IndexHolder

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)  # seconds

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed with `extra=` and goes into the JSON.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "message", "request_id", ...extra}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line, with the request id and any `extra` fields."""
        entry: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or request_id.get()
        if rid:
            entry["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(fmt: str, level: str = "info") -> dict[str, Any]:
    """A `logging.config.dictConfig` for `wisdom serve` (uvicorn's loggers included)."""
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"}
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": lvl},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": lvl, "propagate": False},
            "uvicorn.error": {"level": lvl},
            # The service writes its own request line (with the request id); this one would repeat it.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


class _IndexCollector(Collector):
    """The live index version and counters the holder keeps, read at scrape time."""

    def __init__(self, holder: IndexHolder):
        self.holder = holder

    def collect(self) -> Iterable[Metric]:
        info = InfoMetricFamily("wisdom_index", "The index version being served.")
        info.add_metric([], {"version": self.holder.version_id or ""})
        yield info
        loaded = self.holder.current
        chunks = GaugeMetricFamily("wisdom_index_chunks", "Chunks in the live index version.")
        chunks.add_metric([], float(loaded.version.manifest.counts.chunks if loaded else 0))
        yield chunks
        swaps = GaugeMetricFamily("wisdom_index_swaps", "Index versions swapped in since start.")
        swaps.add_metric([], float(self.holder.swaps))
        yield swaps
        refused = GaugeMetricFamily("wisdom_index_refusals", "Index versions refused since start.")
        refused.add_metric([], float(self.holder.refusals))
        yield refused
        ready = GaugeMetricFamily("wisdom_ready", "1 when an index is loaded and answers can be given.")
        ready.add_metric([], 1.0 if loaded else 0.0)
        yield ready


class Metrics:
    """The service's Prometheus metrics, in a registry of its own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._watching = False
        self.requests = Counter(
            "wisdom_http_requests",
            "HTTP requests by route, method and status.",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "wisdom_http_request_duration_seconds",
            "Time to the response head by route (streams: until the stream opens).",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            "wisdom_answers",
            "Answers by kind (answer, abstain, urgent, refer) and endpoint.",
            ["kind", "endpoint"],
            registry=self.registry,
        )
        self.answer_latency = Histogram(
            "wisdom_answer_duration_seconds",
            "Time to compose an answer, by kind.",
            ["kind"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "wisdom_rate_limited_requests", "Requests refused with 429.", registry=self.registry
        )
        self.ingests = Counter(
            "wisdom_admin_ingests", "Ingest jobs run through the admin API, by outcome.", ["outcome"],
            registry=self.registry,
        )  # fmt: skip
        self.ingest_seconds = Histogram(
            "wisdom_ingest_duration_seconds",
            "Duration of ingest jobs run through the admin API.",
            buckets=(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
            registry=self.registry,
        )

    def watch_index(self, holder: IndexHolder) -> None:
        """Report the live index version (and swaps, refusals) of `holder` from now on."""
        if not self._watching:
            self.registry.register(_IndexCollector(holder))
            self._watching = True

    def answer(self, kind: str, endpoint: str, total_ms: float | None) -> None:
        """Count an answer by kind and endpoint, and observe its latency when it is known."""
        self.answers.labels(kind, endpoint).inc()
        if total_ms is not None:
            self.answer_latency.labels(kind).observe(total_ms / 1000)
