"""Where the tokenize and score tasks run: threads in the flow's process, or Dask.

`PLEDGEWATCH_TASK_RUNNER=dask` with `PLEDGEWATCH_DASK_ADDRESS=tcp://host:8786`
sends them to a running Dask cluster (any number of machines); without an
address a temporary local cluster of `PLEDGEWATCH_DASK_WORKERS` processes is
started for the run, which puts every core of one machine to work. The steps
are the same functions either way; only their results travel back to the flow,
which alone writes to the database (DESIGN §2).
"""

from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from pledgewatch import settings
from pledgewatch.errors import PledgewatchError

RUNNERS = ("threads", "dask")


class RunnerConfigError(PledgewatchError, ValueError):
    """The task runner settings in the environment do not make sense."""


def runner_kind() -> str:
    kind = settings.task_runner()
    if kind not in RUNNERS:
        raise RunnerConfigError(f"PLEDGEWATCH_TASK_RUNNER={kind!r}: expected one of {', '.join(RUNNERS)}")
    return kind


def task_runner() -> TaskRunner[Any]:
    if runner_kind() == "threads":
        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    address = settings.dask_address()
    if address:
        return DaskTaskRunner(address=address)
    workers = settings.dask_workers()
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


def in_flight() -> int:
    """Batches submitted ahead of the one being stored: enough to keep every
    Dask worker busy, few enough to bound the memory of results waiting."""
    return settings.in_flight(8 if runner_kind() == "dask" else 2)
