"""SQL of assembly outputs' inputs: the consumptions whose cost each output took."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from costing.adapters.session import CostingStore, flushes_first
from costing.domain.ports import AssemblyInput


@flushes_first()
class AssemblyStore(CostingStore):
    """What an assembly output took from its consumptions; every query reads (and writes) after the session's flush."""

    async def add_assembly_inputs(self, output_entry_no: int, rows: Sequence[tuple[int, Decimal]]) -> None:
        await self._conn.execute(
            """INSERT INTO assembly_inputs (output_entry_no, consumption_entry_no, cost_amount)
            SELECT $1, c, a FROM unnest($2::bigint[], $3::numeric[]) WITH ORDINALITY AS r(c, a, n) ORDER BY n""",
            output_entry_no, [consumption for consumption, _ in rows], [cost for _, cost in rows],
        )

    async def assembly_inputs_of(self, consumption_entry_nos: Iterable[int]) -> dict[int, list[AssemblyInput]]:
        rows = await self._conn.fetch(
            """SELECT seq, output_entry_no, consumption_entry_no, cost_amount FROM assembly_inputs
            WHERE consumption_entry_no = ANY($1::bigint[]) ORDER BY seq""",
            list(set(consumption_entry_nos)),
        )
        inputs: dict[int, list[AssemblyInput]] = {}
        for row in rows:
            inputs.setdefault(row["consumption_entry_no"], []).append(AssemblyInput(**dict(row)))
        return inputs

    async def set_assembly_input_cost(self, seq: int, cost: Decimal) -> None:
        await self._conn.execute("UPDATE assembly_inputs SET cost_amount = $2 WHERE seq = $1", seq, cost)
