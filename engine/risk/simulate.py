"""Monte Carlo of royalty collections, vectorised over paths and computed block by block.

Paths come in fixed blocks of BLOCK paths; block b draws its random numbers from its own stream
(SeedSequence([seed, b])), so a path's numbers depend only on the seed and its index, never on how many blocks
are processed together (the chunk size): the same seed gives the same figures whatever the chunking.

Per path: each licensee's sales follow a geometric random walk (trend, volatility, and a shared technology
factor); each licensee defaults at a time drawn through a one-factor Gaussian copula with Basel correlation;
each patent dies at the earliest of its expiry, an invalidation and a lapse; a licence pays while its term runs,
its licensee survives and at least one of its patents lives, eroding after its first patent dies; wrap
providers default independently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
from scipy.special import ndtr

from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.inputs import PoolInputs

BLOCK = 2048


@dataclass(frozen=True)
class Stress:
    """A named stress applied inside the simulation."""

    name: str
    sales_multiplier_periods: int = 0  # royalties scaled for the first n periods
    sales_multiplier: float = 1.0
    kill_patent: int | None = None  # index of a patent invalid from the start
    default_licensee: int | None = None  # index of a licensee in default from the start
    default_wraps: bool = False


NO_STRESS = Stress("none")


@dataclass
class Block:
    """One block of simulated paths."""

    collections: np.ndarray  # [n, T]
    by_licence: np.ndarray | None  # [n, L, T] when asked for
    wrap_default: np.ndarray  # [n, W] period index of each provider's default (T if none)


def _first_time(uniform: np.ndarray, per_period_pd: np.ndarray, horizon: int) -> np.ndarray:
    """Period of first default for a constant per-period PD (horizon if beyond it)."""
    hazard = -np.log1p(-np.minimum(per_period_pd, 1 - 1e-15))
    safe = np.where(hazard > 0, hazard, 1.0)
    times = np.where(hazard > 0, np.floor(-np.log1p(-uniform) / safe), horizon)
    return np.minimum(times, horizon).astype(np.int64)


def simulate_block(pool: PoolInputs, seed: int, block: int, n: int, stress: Stress = NO_STRESS,
                   keep_licences: bool = False) -> Block:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, block])))
    L, T, P = len(pool.licences), pool.horizon, len(pool.patents)
    G, K, W = len(pool.groups), len(pool.licensees), len(pool.wraps)
    dt = 1.0 / pool.periods_per_year
    t = np.arange(T)

    # Draw in a fixed order and fixed shapes (BLOCK rows), then keep the first n: the numbers of a path never
    # depend on how many paths are asked for.
    eps = rng.standard_normal((BLOCK, L, T))[:n]
    factor = rng.standard_normal((BLOCK, G, T))[:n]
    default_common = rng.standard_normal((BLOCK, G))[:n]
    default_own = rng.standard_normal((BLOCK, K))[:n]
    u_invalid = rng.random((BLOCK, P))[:n]
    u_when = rng.random((BLOCK, P))[:n]
    u_lapse = rng.random((BLOCK, P))[:n]
    u_wrap = rng.random((BLOCK, W))[:n]

    # Sales: log index is a random walk; the technology factor carries the shared part.
    rho = D.SALES_FACTOR_CORRELATION.value
    shock = np.sqrt(rho) * factor[:, pool.licence_group, :] + np.sqrt(1 - rho) * eps  # [n, L, T]
    sigma = pool.sigma[None, :, None]
    steps = (pool.mu[None, :, None] - 0.5 * sigma**2) * dt + sigma * np.sqrt(dt) * shock
    np.cumsum(steps, axis=2, out=steps)
    sales = np.exp(steps, out=steps)
    sales[:, ~pool.sales_exposed, :] = 1.0
    royalty = sales * pool.base[None, :, None]
    np.maximum(royalty, pool.floor[None, :, None], out=royalty)
    if stress.sales_multiplier_periods:
        royalty[:, :, : stress.sales_multiplier_periods] *= stress.sales_multiplier

    # Licensee default through the one-factor copula.
    corr = pool.licensee_corr[None, :]
    latent = np.sqrt(corr) * default_common[:, pool.licensee_group] + np.sqrt(1 - corr) * default_own
    per_period_pd = 1 - (1 - pool.licensee_pd) ** dt
    default_at = _first_time(ndtr(latent), per_period_pd[None, :], T)  # [n, K]
    if stress.default_licensee is not None:
        default_at[:, stress.default_licensee] = 0
    licensee_alive = t[None, None, :] < default_at[:, pool.licence_licensee][:, :, None]  # [n, L, T]

    # Patent death: expiry, invalidation (within a challenge window, or at a small hazard), lapse.
    death = np.broadcast_to(pool.expiry_period, (n, P)).copy()
    windowed = pool.invalid_window > 0
    invalid_time = np.where(windowed, np.floor(u_when * np.maximum(pool.invalid_window, 1)), T)
    invalid_time = np.where(windowed & (u_invalid < pool.invalid_prob), invalid_time, T)
    hazard_time = _first_time(u_invalid, pool.invalid_hazard[None, :], T)
    invalid_time = np.where(windowed, invalid_time, hazard_time)
    lapse_time = np.where(u_lapse < pool.lapse_prob, pool.lapse_period, T)
    np.minimum(death, invalid_time.astype(np.int64), out=death)
    np.minimum(death, lapse_time, out=death)
    if stress.kill_patent is not None:
        death[:, stress.kill_patent] = 0

    # A licence pays while one of its patents lives, eroding from the first death.
    big = T + 1
    incidence = pool.incidence[None, :, :]  # [1, L, P]
    first_death = np.where(incidence, death[:, None, :], big).min(axis=2)  # [n, L]
    last_death = np.where(incidence, death[:, None, :], -1).max(axis=2)
    erosion_span = D.EROSION_QUARTERS * pool.periods_per_year / 4
    since = np.clip((t[None, None, :] - first_death[:, :, None] + 1) / erosion_span, 0.0, 1.0)
    patent_factor = (1.0 - D.EROSION_AT_TWO_YEARS.value * since) * (t[None, None, :] < last_death[:, :, None])

    royalty *= patent_factor
    royalty *= licensee_alive
    royalty *= pool.active[None, :, :]
    collections = royalty.sum(axis=1)

    wrap_pd = np.array([w.annual_pd for w in pool.wraps]) if W else np.zeros(0)
    wrap_default = _first_time(u_wrap, (1 - (1 - wrap_pd) ** dt)[None, :], T) if W else np.zeros((n, 0), dtype=np.int64)
    if stress.default_wraps:
        wrap_default[:] = 0
    return Block(collections=collections, by_licence=royalty if keep_licences else None, wrap_default=wrap_default)


def blocks(paths: int) -> list[tuple[int, int]]:
    """(block index, paths in it) covering `paths` paths."""
    return [(b, min(BLOCK, paths - b * BLOCK)) for b in range((paths + BLOCK - 1) // BLOCK)]


def simulate(pool: PoolInputs, paths: int, seed: int, stress: Stress = NO_STRESS, chunk_blocks: int = 4,
             keep_licences: bool = False) -> Iterator[Block]:
    """Yield chunks of `chunk_blocks` blocks each (the last may be smaller), in path order."""
    todo = blocks(paths)
    for start in range(0, len(todo), chunk_blocks):
        parts = [simulate_block(pool, seed, b, n, stress, keep_licences) for b, n in todo[start:start + chunk_blocks]]
        if len(parts) == 1:
            yield parts[0]
        else:
            yield Block(
                collections=np.concatenate([p.collections for p in parts]),
                by_licence=np.concatenate([p.by_licence for p in parts]) if keep_licences else None,
                wrap_default=np.concatenate([p.wrap_default for p in parts]),
            )
