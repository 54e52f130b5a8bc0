"""Monte Carlo of royalty collections, vectorised over paths and computed block by block.

Paths come in fixed blocks of BLOCK paths; block b draws its random numbers from three streams of its own: the
per-cell sales shocks (SeedSequence([seed, b]), path after path), the path-level draws (factors, default and
patent uniforms, the economy: SeedSequence([seed, b, 1]), in fixed BLOCK-row shapes) and the wrap providers'
draws (SeedSequence([seed, b, 2])). A path's numbers depend only on the seed and its index, never on how many
paths or blocks are processed together: the same seed gives the same figures whatever the chunking. The shocks,
by far the most numbers, are drawn once even when a large pool is computed in chunks of paths; and adding or
removing a wrap leaves every path's royalties as they were, so a proposed guarantee is compared with the deal on
the same paths (common random numbers).

Per path: each licensee's sales follow a geometric random walk (trend, volatility, and common shocks from an
economy-wide factor and its technology class's factor); each licensee defaults at a time drawn through a Gaussian
copula whose latent variable loads on an economy-wide factor and on its class's factor, with the Basel IRB
correlation in all (one latent variable per obligor group); each patent dies at the earliest of its expiry, an
invalidation and a lapse; a licence pays while its term runs, its licensee survives and at least one of its patents
lives, eroding after its first patent dies. Wrap providers and guarantors default through the same copula, loading
on the same economy-wide factor (wrong-way risk); a provider that is also a licensee defaults exactly when it does as
licensee, and one in a licensee's obligor group shares that group's latent variable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
from scipy.special import ndtr, ndtri

from ipsa.engine.risk import defaults as D
from ipsa.engine.risk.inputs import PRE_CLOSING, PoolInputs
from ipsa.engine.risk.threads import core_threads

BLOCK = 2048
CHUNK_BYTES = 64 * 2**20  # most a chunk's per-cell arrays (sales shocks in single precision, a paying flag) may hold:
# since each chunk draws its own shocks once, a small chunk costs nothing in time (it is faster, kept in cache) (L)


def chunk_rows(licences: int, periods: int, patents: int = 0) -> int:
    """Paths computed at once: the whole block where its per-cell arrays (licence x period, and patent arrays of a
    death computation) fit CHUNK_BYTES, else as many as fit (at least one). A large pool is then computed in chunks
    of paths, each drawing its own paths' sales shocks from the block's shock stream in turn and reading its own
    paths' patent uniforms: the same numbers and results, in bounded memory."""
    return max(1, CHUNK_BYTES // max(1, licences * periods * 5 + patents * 8 * 8))


def _rows_at_once(pool: PoolInputs) -> int:
    """The pool's chunk of paths (at most a block): the size of each chunk's scratch arrays."""
    return min(chunk_rows(len(pool.licences), pool.horizon, len(pool.patents)), BLOCK)


@dataclass(frozen=True)
class Stress:
    """A stress applied inside the simulation, as parameters: a shock to royalties from period `sales_start` for
    `sales_periods` periods (None: for good) scaling them by `sales_multiplier` (touching only the part that moves
    with sales, above any minimum royalty, unless `touches` is "all"); a licensee in default, a patent invalid or
    every wrap provider failed from a given period."""

    name: str
    sales_multiplier: float = 1.0
    sales_start: int = 0
    sales_periods: int | None = 0  # 0: no sales shock; None: permanent
    touches: str = "sales"  # "sales": royalties above the minimum move; "all": minimum and fixed royalties too
    kill_patent: int | None = None  # index of a patent invalid from `kill_at`
    kill_at: int = 0
    default_licensee: int | None = None  # index of a licensee in default from `default_at`
    default_at: int = 0
    default_wraps: bool = False  # every wrap provider fails at `wraps_at`
    wraps_at: int = 0

    def sales_window(self, horizon: int) -> tuple[int, int]:
        """(first, end) periods of the royalty shock; empty when there is none."""
        if self.sales_multiplier == 1.0 or self.sales_periods == 0:
            return 0, 0
        first = min(self.sales_start, horizon)
        return first, horizon if self.sales_periods is None else min(first + self.sales_periods, horizon)


NO_STRESS = Stress("none")


@dataclass
class Block:
    """One block of simulated paths."""

    collections: np.ndarray  # [n, T]
    by_licence: np.ndarray | None  # [n, L, T] when asked for, single precision as simulated
    wrap_default: np.ndarray  # [n, W] period index of each provider's default (T if none)


def _first_time(uniform: np.ndarray, per_period_pd: np.ndarray, horizon: int) -> np.ndarray:
    """Period of first default for a constant per-period PD (horizon if beyond it)."""
    hazard = -np.log1p(-np.minimum(per_period_pd, 1 - 1e-15))
    safe = np.where(hazard > 0, hazard, 1.0)
    times = np.where(hazard > 0, np.floor(-np.log1p(-uniform) / safe), horizon)
    return np.minimum(times, horizon).astype(np.int64)


_WORK: dict[tuple, np.ndarray] = {}


def _work(name: str, shape: tuple[int, ...], dtype=np.float64) -> np.ndarray:
    """A reusable scratch array: large fresh allocations cost page faults on every block."""
    key = (name, shape, np.dtype(dtype).str)
    if key not in _WORK:
        if len(_WORK) > 32:
            _WORK.clear()
        _WORK[key] = np.empty(shape, dtype=dtype)
    return _WORK[key]


def _erosion_steps(periods_per_year: int) -> np.ndarray:
    """Log-increments of the sales factor in the periods after a licence's first patent dies: the factor falls
    linearly from 1 to 1 - erosion over the two-year span, then stays there."""
    span = int(round(D.EROSION_QUARTERS * periods_per_year / 4))
    level = 1.0 - D.EROSION_AT_TWO_YEARS.value * np.arange(0, span + 1) / span
    return np.diff(np.log(level))


@dataclass
class PathBlock:
    """One block's simulated paths before any wrap provider is drawn: the collections (and, when asked for, each
    licence's cash) with the path-level variables the providers' defaults are drawn against."""

    collections: np.ndarray  # [n, T]
    by_licence: np.ndarray | None  # [n, L, T]
    default_at: np.ndarray  # [n, K] period of each licensee's default (T if none)
    latent: np.ndarray  # [n, K] each licensee's latent credit variable
    economy: np.ndarray  # [n] the economy-wide factor


def _streams(seed: int, block: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    """The block's sales-shock, path-level and wrap-provider streams."""
    return tuple(np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy)))
                 for entropy in ([seed, block], [seed, block, 1], [seed, block, 2]))


def simulate_block(pool: PoolInputs, seed: int, block: int, n: int, stress: Stress = NO_STRESS,
                   keep_licences: bool = False) -> Block:
    paths = simulate_paths(pool, seed, block, n, stress, keep_licences)
    return Block(paths.collections, paths.by_licence, wrap_defaults(pool, seed, block, paths, stress))


def simulate_paths(pool: PoolInputs, seed: int, block: int, n: int, stress: Stress = NO_STRESS,
                   keep_licences: bool = False) -> PathBlock:
    """The block's first n paths without the wrap providers: what no wrap changes (unless the stress fails every
    provider, which also fails any licensee that is one)."""
    return simulate_runs(pool, seed, block, [(stress, n)], keep_licences)[0]


def simulate_runs(pool: PoolInputs, seed: int, block: int, runs: Sequence[tuple[Stress, int]],
                  keep_licences: bool = False) -> list[PathBlock]:
    """Several runs of the block in one pass: run i is the block's first n_i paths under stress i, each exactly what
    `simulate_paths` gives for it alone (the same numbers, each licence's cash computed from them in the same way and
    in the same chunks of paths), while the random numbers are drawn once for all of them: a report's stresses cost
    their arithmetic, not their draws. `keep_licences`: the first run keeps each licence's cash."""
    shocks, draws, _ = _streams(seed, block)
    L, T, P = len(pool.licences), pool.horizon, len(pool.patents)
    G, K = len(pool.groups), len(pool.licensees)
    dt = 1.0 / pool.periods_per_year
    n = max(count for _, count in runs)

    # Path-level draws in fixed shapes (BLOCK rows), then the first n kept: a path's numbers never depend on how many
    # paths are asked for.
    factor = draws.standard_normal((BLOCK, G, T))[:n]
    default_common = draws.standard_normal((BLOCK, G))[:n]
    default_own = draws.standard_normal((BLOCK, K))[:n]
    # The patents' uniforms (invalidation, its timing, lapse: three BLOCK x P arrays, one 64-bit draw a number) are
    # stepped over here and read chunk by chunk of paths below from where they lie in the stream (`_PatentUniforms`):
    # the same numbers, never held whole (three of them were 500 MB for 10,000 patents).
    uniforms = _PatentUniforms(draws, P)
    economy_sales = draws.standard_normal((BLOCK, T))[:n]
    economy = draws.standard_normal(BLOCK)[:n]

    # Licensee default: latent = sqrt(rho_sys) Z + sqrt(rho - rho_sys) G_class + sqrt(1 - rho) e, one per obligor group.
    corr = pool.licensee_corr
    systemic = pool.licensee_systemic if pool.licensee_systemic is not None else np.zeros(K)
    latent = (np.sqrt(systemic)[None, :] * economy[:, None]
              + np.sqrt(corr - systemic)[None, :] * default_common[:, pool.licensee_group]
              + np.sqrt(1 - corr)[None, :] * default_own)
    if pool.licensee_obligor is not None:
        latent = latent[:, pool.licensee_obligor]
    per_period_pd = 1 - (1 - pool.licensee_pd) ** dt
    unstressed_default_at = _first_time(ndtr(latent), per_period_pd[None, :], T)  # [n, K]
    default_at = [_stressed_defaults(pool, stress, unstressed_default_at[:count]) for stress, count in runs]

    # Sales shocks, single precision (sums in double), path after path from their own stream, and the patents'
    # deaths: chunk by chunk of paths where the whole block's would not fit, each chunk's shocks drawn once for all
    # runs. A run whose stress touches no licence's cash is the reference: computed once (on the most paths), it
    # serves every other such run, and a run whose stress touches a few licences (one licensee, one patent) computes
    # only theirs, from its copy of their shocks, and sums the reference's cash with theirs in place. Any other run
    # computes every licence; the sales level, which no stress touches, once for all of them (unless a patent of
    # theirs is made invalid, which changes its erosion). With several runs the chunk is half the scratch array, the
    # other half holding a run's copy: the same memory as one run.
    touched = [_touched_licences(pool, stress) for stress, _ in runs]
    reference, served, partial, whole = _plan(runs, touched, L, keep_licences)

    scratch = _work("eps", (_rows_at_once(pool), L, T), np.float32)
    rows = scratch.shape[0] if len(runs) == 1 else max(1, scratch.shape[0] // 2)
    spare = scratch[rows:2 * rows] if 2 * rows <= scratch.shape[0] else _work("run_eps", (rows, L, T), np.float32)
    collections = [np.empty((count, T)) for _, count in runs]
    by_licence = np.empty((runs[0][1], L, T), dtype=np.float32) if keep_licences else None
    with _ShocksAhead(shocks, scratch[:rows], n) as drawn:
        for start in range(0, n, rows):
            stop = min(start + rows, n)
            eps = drawn.next(start)
            death = _patent_deaths(pool, uniforms, start, stop)
            ends = [min(stop, count) - start for _, count in runs]  # each run's paths in this chunk
            own = {i: eps[:ends[i], touched[i], :] for i in partial if ends[i] > 0}  # copies of their licences' shocks
            # A run with an invalid patent erodes otherwise: its sales level is its own, from a copy of the shocks.
            for i in (i for i in whole if ends[i] > 0 and runs[i][0].kill_patent is not None):
                k = ends[i]
                cash = by_licence[start:start + k] if i == 0 and keep_licences else spare[:k]
                cash[...] = eps[:k]
                collections[i][start:start + k] = _royalties(
                    pool, runs[i][0], cash, factor[start:start + k], economy_sales[start:start + k],
                    _killed(death[:k], runs[i][0]), default_at[i][start:start + k])
            # Every other whole run starts from one sales level, computed in place: no stress touches it.
            sharing = [i for i in whole if ends[i] > 0 and runs[i][0].kill_patent is None]
            if sharing:
                level = eps[:max(ends[i] for i in sharing)]
                first_death, last_death = _licence_deaths(pool, death[:level.shape[0]])
                rows_of = slice(start, start + level.shape[0])
                _sales_level(pool, level, factor[rows_of], economy_sales[rows_of], first_death)
                for i in sharing:
                    k = ends[i]
                    if i == 0 and keep_licences:
                        cash = by_licence[start:start + k]
                        cash[...] = level[:k]
                    elif i == sharing[-1]:
                        cash = level[:k]
                    else:
                        cash = spare[:k]
                        cash[...] = level[:k]
                    collections[i][start:start + k] = _cash(pool, runs[i][0], cash, last_death[:k],
                                                            default_at[i][start:start + k])
            if reference is None or ends[reference] <= 0:
                continue
            base = cash  # the reference's cash, computed last
            for i in served:
                if ends[i] > 0:
                    collections[i][start:start + ends[i]] = collections[reference][start:start + ends[i]]
                    if i == 0 and keep_licences:
                        by_licence[start:start + ends[i]] = base[:ends[i]]
            for i, shocks_of in own.items():
                k, licences = ends[i], touched[i]
                _royalties(pool, runs[i][0], shocks_of, factor[start:start + k], economy_sales[start:start + k],
                           _killed(death[:k], runs[i][0]), default_at[i][start:start + k], licences)
                kept = base[:k, licences, :]
                # Now its licences' cash: the whole pool's sum, as the run alone sums it.
                base[:k, licences, :] = shocks_of
                collections[i][start:start + k] = base[:k].sum(axis=1, dtype=np.float64)
                base[:k, licences, :] = kept
    return [PathBlock(collections[i], by_licence if i == 0 else None, default_at[i], latent[:count], economy[:count])
            for i, (_, count) in enumerate(runs)]


class _ShocksAhead:
    """The chunks' sales shocks, drawn from the block's shock stream in chunk order. Where the block takes several
    chunks and the process has a second core, each chunk's shocks are drawn on another thread while the chunk before
    is computed (NumPy releases the GIL in both), into a second array, freed after the pass (kept, it would add to
    the peak memory of the assessment's later stages): the same numbers in the same order, a large pool's drawing (a
    third of its simulation) no longer waited for."""

    def __init__(self, shocks: np.random.Generator, first: np.ndarray, paths: int):
        self.shocks, self.rows, self.paths = shocks, first.shape[0], paths
        self.threads = core_threads() if paths > self.rows else None
        self.buffers = [first] if self.threads is None else [first, np.empty_like(first)]
        self.pending = None
        self.chunk = 0

    def _draw(self, chunk: int) -> np.ndarray:
        start = chunk * self.rows
        out = self.buffers[chunk % len(self.buffers)][:min(start + self.rows, self.paths) - start]
        self.shocks.standard_normal(dtype=np.float32, out=out)
        return out

    def next(self, start: int) -> np.ndarray:
        """The shocks of the chunk starting at path `start` (chunks are asked for in order)."""
        chunk = start // self.rows
        eps = self.pending.result() if self.pending is not None else self._draw(chunk)
        following = chunk + 1
        self.pending = (self.threads.submit(self._draw, following)
                        if self.threads is not None and following * self.rows < self.paths else None)
        return eps

    def __enter__(self) -> "_ShocksAhead":
        return self

    def __exit__(self, *exc) -> None:
        if self.pending is not None:  # never leave a draw writing into a scratch array the next call may use
            self.pending.result()
            self.pending = None


def _plan(runs: Sequence[tuple[Stress, int]], touched: list[np.ndarray | None], licences: int,
          keep_first: bool = False) -> tuple[int | None, list[int], list[int], list[int]]:
    """How `simulate_runs` computes each run: (the reference, the runs it serves, the runs computing only their
    touched licences, the runs computing every licence with the reference last). A first run that keeps each
    licence's cash computes them all."""
    untouched = [i for i, hit in enumerate(touched)  # the reference's sales level is shared: no patent of its own dies
                 if hit is not None and not hit.size and runs[i][0].kill_patent is None]
    reference = max(untouched, key=lambda i: runs[i][1], default=None)
    served = [i for i in untouched if i != reference]
    partial = [i for i, hit in enumerate(touched) if reference is not None and hit is not None
               and 0 < hit.size * 2 <= licences and runs[i][1] <= runs[reference][1] and not (i == 0 and keep_first)]
    whole = [i for i in range(len(runs)) if i not in served and i not in partial and i != reference]
    return reference, served, partial, whole + ([reference] if reference is not None else [])


def _touched_licences(pool: PoolInputs, stress: Stress) -> np.ndarray | None:
    """The licences whose cash the stress can change (their indices), or None where it can change any (a royalty
    shock): those with the invalid patent, those of the licensee in default and of any failed provider that is a
    licensee."""
    first, end = stress.sales_window(pool.horizon)
    if end > first:
        return None
    hit = np.zeros(len(pool.licences), dtype=bool)
    if stress.kill_patent is not None:
        hit |= pool.incidence[:, stress.kill_patent]
    parties = [stress.default_licensee] if stress.default_licensee is not None else []
    if stress.default_wraps and pool.wrap_licensee is not None:
        parties += pool.wrap_licensee[pool.wrap_licensee >= 0].tolist()
    if parties:
        hit |= np.isin(pool.licence_licensee, parties)
    return np.nonzero(hit)[0]


def _stressed_defaults(pool: PoolInputs, stress: Stress, default_at: np.ndarray) -> np.ndarray:
    """[n, K] each licensee's default period under the stress: a licensee in default from a period, and any licensee
    that is a wrap provider when every provider fails."""
    if not (stress.default_wraps and pool.wrap_licensee is not None) and stress.default_licensee is None:
        return default_at
    default_at = default_at.copy()
    if stress.default_wraps and pool.wrap_licensee is not None:  # a licensee that is a failed provider fails too
        party = pool.wrap_licensee[pool.wrap_licensee >= 0]
        default_at[:, party] = np.minimum(default_at[:, party], stress.wraps_at)
    if stress.default_licensee is not None:
        default_at[:, stress.default_licensee] = np.minimum(default_at[:, stress.default_licensee], stress.default_at)
    return default_at


class _PatentUniforms:
    """The patents' three BLOCK x P uniform arrays (invalidation, its timing, lapse), drawn one after another from the
    path-level stream where the generator stands now, read for any run of paths without drawing the rest: each number
    is one step of the generator, so rows a to b of array k start k x BLOCK x P + a x P steps on. The generator is
    moved past all three, as drawing them would."""

    def __init__(self, draws: np.random.Generator, patents: int):
        self.start, self.patents = draws.bit_generator.state, patents
        draws.bit_generator.advance(3 * BLOCK * patents)

    def rows(self, array: int, first: int, end: int) -> np.ndarray:
        generator = np.random.Generator(np.random.PCG64())
        generator.bit_generator.state = self.start
        generator.bit_generator.advance((array * BLOCK + first) * self.patents)
        return generator.random((end - first, self.patents))


def _patent_deaths(pool: PoolInputs, uniforms: _PatentUniforms, first: int, end: int) -> np.ndarray:
    """[end - first, P] period of each patent's death on paths first to end: expiry, invalidation (within a challenge
    window, or at a small hazard), lapse."""
    T, P = pool.horizon, len(pool.patents)
    u_invalid, u_when, u_lapse = (uniforms.rows(k, first, end) for k in range(3))
    death = np.broadcast_to(pool.expiry_period, (end - first, P)).copy()
    windowed = pool.invalid_window > 0
    invalid_time = np.where(windowed, np.floor(u_when * np.maximum(pool.invalid_window, 1)), T)
    invalid_time = np.where(windowed & (u_invalid < pool.invalid_prob), invalid_time, T)
    hazard_time = _first_time(u_invalid, pool.invalid_hazard[None, :], T)
    invalid_time = np.where(windowed, invalid_time, hazard_time)
    lapse_time = np.where(u_lapse < pool.lapse_prob, pool.lapse_period, T)
    np.minimum(death, invalid_time.astype(np.int64), out=death)
    np.minimum(death, lapse_time, out=death)
    return death


def _killed(death: np.ndarray, stress: Stress) -> np.ndarray:
    """The patents' deaths with the stress's patent invalid from its period (a copy; `death` itself when none is)."""
    if stress.kill_patent is None:
        return death
    death = death.copy()
    death[:, stress.kill_patent] = np.minimum(death[:, stress.kill_patent], stress.kill_at)
    return death


def wrap_defaults(pool: PoolInputs, seed: int, block: int, paths: PathBlock, stress: Stress = NO_STRESS) -> np.ndarray:
    """[n, W] period of each wrap provider's or guarantor's default (T if none): the same copula as the licensees',
    loading on the economy-wide factor (wrong-way risk); a provider that is a licensee of the pool takes that
    licensee's default time, one in a licensee's obligor group its latent variable."""
    n, T, W = paths.collections.shape[0], pool.horizon, len(pool.wraps)
    if not W:
        return np.zeros((n, 0), dtype=np.int64)
    _, _, providers = _streams(seed, block)
    u_wrap = providers.random((BLOCK, W))[:n]
    wrap_pd = np.array([w.annual_pd for w in pool.wraps])
    loading = pool.wrap_corr if pool.wrap_corr is not None else np.zeros(W)
    draw_of = pool.wrap_first if pool.wrap_first is not None else np.arange(W)  # one draw per provider group
    own = ndtri(np.clip(u_wrap[:, draw_of], 1e-300, 1 - 1e-16))
    wrap_latent = np.sqrt(loading)[None, :] * paths.economy[:, None] + np.sqrt(1 - loading)[None, :] * own
    if pool.wrap_obligor is not None:
        grouped = pool.wrap_obligor >= 0
        wrap_latent[:, grouped] = paths.latent[:, pool.wrap_obligor[grouped]]
    wrap_default = _first_time(ndtr(wrap_latent), (1 - (1 - wrap_pd) ** (1.0 / pool.periods_per_year))[None, :], T)
    if stress.default_wraps:  # every provider fails then
        np.minimum(wrap_default, stress.wraps_at, out=wrap_default)
    same_party = pool.wrap_licensee if pool.wrap_licensee is not None else np.full(W, -1)
    roles = same_party >= 0
    wrap_default[:, roles] = paths.default_at[:, same_party[roles]]  # one default time per party
    return wrap_default


def _royalties(pool: PoolInputs, stress: Stress, royalty: np.ndarray, factor: np.ndarray, economy_sales: np.ndarray,
               death: np.ndarray, default_at: np.ndarray, licences: np.ndarray | None = None) -> np.ndarray:
    """Collections [n, T] of the paths whose sales shocks are `royalty` [n, L, T], which is overwritten with each
    licence's cash, given their factors, patent deaths and licensee defaults: every step is path by path, so a block
    can be computed in chunks of paths with the same result. It is licence by licence too: `licences` (indices into
    the pool's) computes only those, `royalty` holding their shocks [n, len(licences), T], each cell exactly as in
    the whole pool's computation. Two stages: the sales level, which no stress touches (`_sales_level`), then the
    cash (`_cash`)."""
    first_death, last_death = _licence_deaths(pool, death, licences)
    _sales_level(pool, royalty, factor, economy_sales, first_death, licences)
    return _cash(pool, stress, royalty, last_death, default_at, licences)


def _licence_deaths(pool: PoolInputs, death: np.ndarray,
                    licences: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each licence's (of `licences`, or all) first and last patent death [n, L] (a loan's repayments do not depend
    on the pledged IP living: T)."""
    n, T = death.shape[0], pool.horizon
    first_death = np.full((n, len(pool.licences)), T, dtype=np.int64)
    last_death = np.full((n, len(pool.licences)), T, dtype=np.int64)
    patents, starts, licensed = pool.licence_patent_runs
    if licensed.size:
        deaths = death[:, patents]
        first_death[:, licensed] = np.minimum.reduceat(deaths, starts, axis=1)
        last_death[:, licensed] = np.maximum.reduceat(deaths, starts, axis=1)
    computed = slice(None) if licences is None else licences
    return first_death[:, computed], last_death[:, computed]


def _sales_level(pool: PoolInputs, royalty: np.ndarray, factor: np.ndarray, economy_sales: np.ndarray,
                 first_death: np.ndarray, licences: np.ndarray | None = None) -> None:
    """The shocks `royalty` turned in place into each licence's royalty before any stress, minimum or default: its
    base times the sales index, eroding after its first patent dies."""
    T = royalty.shape[2]
    every = licences is None
    computed = slice(None) if every else licences  # as an index into the pool's per-licence arrays
    dt = 1.0 / pool.periods_per_year
    # Sales: the log index is a random walk whose shocks share an economy-wide and a technology factor (combined on the
    # small [n, G, T] array, so no extra pass over the cells); computed in place. A licence's
    # erosion after its first patent dies is added to the log steps (a handful of cells per licence-path) so that
    # it needs no pass over the whole array.
    rho = D.SALES_FACTOR_CORRELATION.value
    share = pool.sales_systemic
    f32 = np.float32
    common = (np.sqrt(rho * (1 - share)) * factor + np.sqrt(rho * share) * economy_sales[:, None, :]).astype(f32)
    royalty *= f32(np.sqrt(1 - rho))
    if every:
        for group, first, end in pool.group_slices:
            royalty[:, first:end, :] += common[:, group, None, :]
    else:
        royalty += common[:, pool.licence_group[licences], :]
    royalty *= (pool.sigma * np.sqrt(dt)).astype(f32)[computed][None, :, None]
    royalty += ((pool.mu - 0.5 * pool.sigma**2) * dt).astype(f32)[computed][None, :, None]
    royalty[:, ~pool.sales_exposed[computed], :] = 0.0
    eroding = first_death < T
    if pool.erodes is not None:  # generic erosion follows a patent's death; copyrights and trademarks simply end
        eroding &= pool.erodes[computed][None, :]
    rows, cols = np.nonzero(eroding)
    if rows.size:
        starts = first_death[rows, cols]
        for offset, step in enumerate(_erosion_steps(pool.periods_per_year)):
            at = starts + offset
            inside = at < T
            royalty[rows[inside], cols[inside], at[inside]] += f32(step)
    np.cumsum(royalty, axis=2, out=royalty)
    np.exp(royalty, out=royalty)
    royalty *= pool.base.astype(f32)[computed][None, :, None]


def _cash(pool: PoolInputs, stress: Stress, royalty: np.ndarray, last_death: np.ndarray, default_at: np.ndarray,
          licences: np.ndarray | None = None) -> np.ndarray:
    """Collections [n, T] from each licence's royalty before any stress (`_sales_level`), overwritten in place with its
    cash: the stress's royalty shock, the minimum royalty, loans' schedules, paying while the term runs, the licensee
    stands and a patent lives, payment calendars and pledge recoveries."""
    n, _, T = royalty.shape
    L = len(pool.licences)
    every = licences is None
    computed = slice(None) if every else licences
    t = np.arange(T)
    f32 = np.float32
    first, end = stress.sales_window(T)
    if end > first and stress.touches == "sales":  # the sales-driven royalty falls; minimums and fixed fees hold
        royalty[:, pool.sales_exposed[computed], first:end] *= f32(stress.sales_multiplier)
    np.maximum(royalty, pool.floor.astype(f32)[computed][None, :, None], out=royalty)
    if end > first and stress.touches == "all":
        royalty[:, :, first:end] *= f32(stress.sales_multiplier)

    # Each computed licence's position in `royalty` (row) and in the pool (index).
    positions = list(enumerate(range(L) if every else licences.tolist()))
    loans = pool.loans
    first_loan = L - len(loans.ids) if loans is not None else L  # loans follow the licences
    if loans is not None:  # loans repay on their schedule, whatever the sales factor
        if every:
            royalty[:, first_loan:, :] = loans.payments.astype(f32)[None, :, :]
        else:
            for row, index in positions:
                if index >= first_loan:
                    royalty[:, row, :] = loans.payments[index - first_loan].astype(f32)[None, :]

    # A licence pays while its term runs, its licensee survives and one of its patents lives.
    licensee = pool.licence_licensee[computed]
    end = np.minimum(last_death, default_at[:, licensee])  # [n, L]
    paying = _work("paying", (_rows_at_once(pool), L, T), bool)[:n, :royalty.shape[1]]
    np.less(t[None, None, :], end[:, :, None], out=paying)
    paying &= pool.active[computed][None, :, :]
    royalty *= paying
    if pool.pay_schedule:  # licences paying less often than the model's periods, or late: accrued, then paid
        for row, index in positions:
            matrix = pool.pay_schedule[index]
            if matrix is None:
                continue
            # Royalties accrued before closing (at the first period's level) and paid after it belong to the SPV.
            paid = (royalty[:, row, :] @ matrix[PRE_CLOSING:].astype(np.float32)
                    + royalty[:, row, :1] * matrix[:PRE_CLOSING].sum(axis=0).astype(np.float32)[None, :])
            # A licensee pays nothing once in default: royalties accrued but not yet paid then are lost.
            paid *= t[None, :] < default_at[:, pool.licence_licensee[index]][:, None]
            royalty[:, row, :] = paid
    if loans is not None:  # a defaulted borrower's pledged IP is enforced: the recovery comes after a lag
        for row, index in positions:
            if index < first_loan:
                continue
            m = index - first_loan
            at = default_at[:, pool.licence_licensee[index]]
            owed = loans.outstanding[m][np.minimum(at, T - 1)] * (at < T)
            if np.isfinite(loans.recovery_cap[m]):  # the collateral's value x the rate, at most what is owed
                recovered = np.minimum(owed, loans.recovery_cap[m])
            else:  # no appraisal given: the rate applies to what is owed
                recovered = owed * loans.recovery_rate[m]
            when = at + loans.recovery_lag[m]
            hit = np.nonzero((when < T) & (recovered > 0))[0]
            royalty[hit, row, when[hit]] += recovered[hit].astype(f32)
    return royalty.sum(axis=1, dtype=np.float64)


def blocks(paths: int) -> list[tuple[int, int]]:
    """(block index, paths in it) covering `paths` paths."""
    return [(b, min(BLOCK, paths - b * BLOCK)) for b in range((paths + BLOCK - 1) // BLOCK)]


def simulate(pool: PoolInputs, paths: int, seed: int, stress: Stress = NO_STRESS, chunk_blocks: int = 4,
             keep_licences: bool = False) -> Iterator[Block]:
    """Yield chunks of `chunk_blocks` blocks each (the last may be smaller), in path order."""
    todo = blocks(paths)
    for start in range(0, len(todo), chunk_blocks):
        yield joined_blocks(pool, seed, stress, [(b, simulate_paths(pool, seed, b, n, stress, keep_licences))
                                                 for b, n in todo[start:start + chunk_blocks]])


def joined_blocks(pool: PoolInputs, seed: int, stress: Stress, part: list[tuple[int, PathBlock]]) -> Block:
    """Consecutive blocks' paths (block index, paths) as one Block, their wrap providers drawn."""
    wraps = [wrap_defaults(pool, seed, b, paths, stress) for b, paths in part]
    if len(part) == 1:
        return Block(part[0][1].collections, part[0][1].by_licence, wraps[0])
    by_licence = [paths.by_licence for _, paths in part]
    return Block(collections=np.concatenate([paths.collections for _, paths in part]),
                 by_licence=np.concatenate(by_licence) if by_licence[0] is not None else None,
                 wrap_default=np.concatenate(wraps))
