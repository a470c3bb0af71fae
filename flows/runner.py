"""Where the tokenize and score tasks run: threads in the flow's process, or Dask.

`PLEDGEWATCH_TASK_RUNNER=dask` with `PLEDGEWATCH_DASK_ADDRESS=tcp://host:8786`
sends them to a running Dask cluster (any number of machines); without an
address a temporary local cluster of `PLEDGEWATCH_DASK_WORKERS` processes is
started for the run, which puts every core of one machine to work. The steps
are the same functions either way; only their results travel back to the flow,
which alone writes to the database (DESIGN §2).
"""

from __future__ import annotations

import os

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

RUNNERS = ("threads", "dask")


class RunnerConfigError(ValueError):
    """The task runner settings in the environment do not make sense."""


def runner_kind() -> str:
    kind = os.environ.get("PLEDGEWATCH_TASK_RUNNER", "threads").strip().lower() or "threads"
    if kind not in RUNNERS:
        raise RunnerConfigError(f"PLEDGEWATCH_TASK_RUNNER={kind!r}: expected one of {', '.join(RUNNERS)}")
    return kind


def task_runner() -> TaskRunner:
    if runner_kind() == "threads":
        return ThreadPoolTaskRunner()
    from prefect_dask import DaskTaskRunner

    address = os.environ.get("PLEDGEWATCH_DASK_ADDRESS")
    if address:
        return DaskTaskRunner(address=address)
    workers = int(os.environ.get("PLEDGEWATCH_DASK_WORKERS", str(os.cpu_count() or 1)))
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": None})


def in_flight() -> int:
    """Batches submitted ahead of the one being stored: enough to keep every
    Dask worker busy, few enough to bound the memory of results waiting."""
    default = "8" if runner_kind() == "dask" else "2"
    return max(1, int(os.environ.get("PLEDGEWATCH_IN_FLIGHT", default)))
