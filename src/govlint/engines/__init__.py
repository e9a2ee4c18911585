"""Rego engines: the embedded regorus interpreter and an OPA server, behind one interface."""

from __future__ import annotations

from typing import Any, Literal, Protocol, Sequence

from govlint.catalog import PolicyFile

EngineName = Literal["embedded", "opa"]
ENGINE_NAMES: tuple[EngineName, ...] = ("embedded", "opa")


class Engine(Protocol):
    """Evaluates queries over loaded policies for one input and data document."""

    # How many queries the engine evaluates at once: more than one, and a large registry's
    # rules are asked package by package (evaluate.rule_queries).
    side_by_side: int

    def evaluate(self, queries: Sequence[str], input: str, data: dict[str, Any]) -> list[Any]:
        """The value of each query, a Rego expression (`data.govlint.approvals.required`, a
        comprehension, ...), for `input` given as JSON text; None where it is undefined."""
        ...


def embedded_engine_version() -> str:
    """The installed regorus build, for keying cached evaluations."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"gordon-to-regorus {version('gordon-to-regorus')}"
    except PackageNotFoundError:
        return "gordon-to-regorus unknown"


def make_engine(
    name: EngineName,
    policies: Sequence[PolicyFile],
    *,
    opa_url: str | None = None,
    timeout: float | None = None,
    memory_mib: int | None = None,
) -> Engine:
    """The named engine loaded with `policies`. `timeout` bounds each evaluation in seconds;
    `memory_mib` bounds what the embedded engine's evaluation may allocate (an OPA server
    keeps its own limits)."""
    if name == "opa":
        from govlint.engines.opa import OpaEngine

        return OpaEngine(policies, url=opa_url, timeout=timeout)
    from govlint.engines.embedded import EmbeddedEngine

    return EmbeddedEngine(policies, timeout=timeout, memory_mib=memory_mib)
